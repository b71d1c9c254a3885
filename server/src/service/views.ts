// Pure view models of runs, steps, inventories and plans as the webapp, the CLI and the dialogs receive them.
// snake_case on the wire (like Mattermost's own API); only fields that are safe to show.
import type {InventoryProviderState, InventoryRecord} from '../engine/ports.js';
import {countSteps} from '../engine/run_state.js';
import type {Finding, Identity, Json, Run, Step, StepSpec, Subject} from '../engine/types.js';

export function renderSubject(s: Subject): Record<string, Json> {
  return {
    user_id: s.userId, username: s.username, email: s.email, display_name: s.displayName,
    roles: [...s.roles], is_bot: s.isBot, is_system_admin: s.roles.includes('system_admin'),
  };
}

export function renderRun(run: Run, steps: readonly Step[]): Record<string, Json> {
  return {
    id: run.id,
    status: run.status,
    subject: renderSubject(run.subject),
    initiator_id: run.initiatorId,
    approval_required: run.approvalRequired,
    approved_by: run.approvedBy,
    cancelled_by: run.cancelledBy,
    scheduled_at: run.scheduledAt,
    channel_id: run.channelId,
    post_id: run.postId,
    created_at: run.createdAt,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    updated_at: run.updatedAt,
    counts: {...countSteps(steps)},
    total_steps: steps.length,
  };
}

export function renderStepSpec(s: StepSpec): Record<string, Json> {
  return {
    id: s.id, provider: s.provider, phase: s.phase, action: s.action, target: s.target, title: s.title,
    kind: s.kind, depends_on: [...s.dependsOn], instructions: s.instructions ?? null, assignee: s.assignee ?? null,
  };
}

export function renderStep(s: Step): Record<string, Json> {
  return {
    ...renderStepSpec(s),
    state: s.state,
    verified: s.verified,
    attempts: s.attempts,
    error: s.error,
    note: s.note,
    acted_by: s.actedBy,
    started_at: s.startedAt,
    finished_at: s.finishedAt,
  };
}

function renderIdentity(i: Identity): Record<string, Json> {
  return {id: i.id, label: i.label, source: i.source, confidence: i.confidence};
}

export function renderFinding(f: Finding): Record<string, Json> {
  return {id: f.id, kind: f.kind, label: f.label, risk: f.risk, residual: f.residual, identity_id: f.identityId};
}

function countKinds(findings: readonly Finding[]): Record<string, Json> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return counts;
}

export function renderInventoryProvider(p: InventoryProviderState, title: string): Record<string, Json> {
  return {
    id: p.provider, title, status: p.status, error: p.error,
    identities: p.identities.map(renderIdentity),
    counts: countKinds(p.findings),
    total_findings: p.findings.length,
  };
}

export function renderInventory(record: InventoryRecord, titles: ReadonlyMap<string, string>): Record<string, Json> {
  return {
    id: record.id,
    subject: renderSubject(record.subject),
    done: record.providers.every((p) => p.status === 'done' || p.status === 'failed'),
    providers: record.providers.map((p) => renderInventoryProvider(p, titles.get(p.provider) ?? p.provider)),
  };
}

/** One page of a list plus the paging facts the caller needs. */
export function pageOf<T>(items: readonly T[], page: number, perPage: number): {items: T[]; total: number; next_page: number | null} {
  const start = page * perPage;
  const slice = items.slice(start, start + perPage);
  return {items: slice, total: items.length, next_page: start + perPage < items.length ? page + 1 : null};
}
