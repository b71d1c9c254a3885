// The one place rows and domain types meet: snake_case rows in, readonly domain objects out, and back.
// Writers validate here, so a bad value is refused before any statement runs.
import {PermanentError} from '../engine/errors.js';
import type {InventoryProviderState, InventoryRecord, PlanRecord, RunPatch, StepPatch} from '../engine/ports.js';
import type {AuditEvent, JsonObject, NewRun, Run, RunStatus, Step, StepOutcome, StepSpec, StepState, Subject}
  from '../engine/types.js';
import type {AuditRow, InventoryProviderRow, InventoryRow, PlanRow, RunRow, StepRow} from './schema.js';
import {
  assertCount, assertId, assertOneOf, assertPhase, assertRunStatus, assertStepState, assertText, assertTime,
  assertTimeOrNull, toJsonText,
} from './validate.js';

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new PermanentError(`stored ${what} is not valid JSON`, {cause: e});
  }
}

function parseJsonOrNull<T>(text: string | null, what: string): T | null {
  return text === null ? null : parseJson<T>(text, what);
}

function intToBool(value: number | null): boolean | null {
  return value === null ? null : value !== 0;
}

export function runFromRow(row: RunRow): Run {
  return {
    id: row.id,
    status: row.status as RunStatus,
    subject: parseJson<Subject>(row.subject, 'run subject'),
    initiatorId: row.initiator_id,
    planId: row.plan_id,
    options: parseJson<JsonObject>(row.options, 'run options'),
    scheduledAt: row.scheduled_at,
    approvalRequired: row.approval_required !== 0,
    approvedBy: row.approved_by,
    cancelledBy: row.cancelled_by,
    channelId: row.channel_id,
    postId: row.post_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function stepFromRow(row: StepRow): Step {
  return {
    runId: row.run_id,
    id: row.id,
    seq: row.seq,
    provider: row.provider,
    phase: row.phase as Step['phase'],
    action: row.action,
    target: row.target,
    title: row.title,
    kind: row.kind as Step['kind'],
    dependsOn: parseJson<string[]>(row.depends_on, 'step dependsOn'),
    params: parseJson<JsonObject>(row.params, 'step params'),
    ...(row.instructions === null ? {} : {instructions: row.instructions}),
    ...(row.assignee === null ? {} : {assignee: row.assignee}),
    state: row.state as StepState,
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    notBefore: row.not_before,
    outcome: parseJsonOrNull<StepOutcome>(row.outcome, 'step outcome'),
    verified: intToBool(row.verified),
    verifyEvidence: parseJsonOrNull<JsonObject>(row.verify_evidence, 'step verifyEvidence'),
    error: row.error,
    note: row.note,
    actedBy: row.acted_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}

export function auditFromRow(row: AuditRow): AuditEvent {
  return {
    runId: row.run_id,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    evidence: parseJson<JsonObject>(row.evidence, 'audit evidence'),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function auditToRow(event: AuditEvent): AuditRow {
  return {
    run_id: event.runId, seq: event.seq, at: event.at, actor: event.actor, action: event.action, target: event.target,
    outcome: event.outcome, evidence: toJsonText(event.evidence, 'audit evidence'), prev_hash: event.prevHash,
    hash: event.hash,
  };
}

function subjectToText(subject: Subject): string {
  if (subject === null || typeof subject !== 'object') throw new PermanentError('subject must be an object');
  assertId(subject.userId, 'subject.userId');
  return toJsonText(subject, 'subject');
}

export function newRunToRow(run: NewRun, auditHash: string): RunRow {
  assertId(run.id, 'run id');
  assertOneOf(run.status, ['scheduled', 'awaiting_approval', 'running'] as const, 'a new run status');
  assertId(run.initiatorId, 'initiatorId');
  if (run.planId !== null) assertId(run.planId, 'planId');
  assertTimeOrNull(run.scheduledAt, 'scheduledAt');
  assertTime(run.createdAt, 'createdAt');
  return {
    id: run.id,
    status: run.status,
    subject: subjectToText(run.subject),
    subject_user_id: run.subject.userId,
    initiator_id: run.initiatorId,
    plan_id: run.planId,
    options: toJsonText(run.options, 'run options'),
    scheduled_at: run.scheduledAt,
    approval_required: run.approvalRequired ? 1 : 0,
    approved_by: null,
    cancelled_by: null,
    channel_id: null,
    post_id: null,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    started_at: run.status === 'running' ? run.createdAt : null,
    finished_at: null,
    audit_seq: 0,
    audit_hash: auditHash,
  };
}

/** A new step: auto steps wait to be claimed, manual steps wait for a person. */
export function stepSpecToRow(runId: string, spec: StepSpec, seq: number, now: number): StepRow {
  assertId(spec.id, 'step id');
  assertId(spec.provider, `step ${spec.id} provider`);
  assertPhase(spec.phase);
  assertId(spec.action, `step ${spec.id} action`);
  assertText(spec.target, `step ${spec.id} target`);
  assertText(spec.title, `step ${spec.id} title`);
  assertOneOf(spec.kind, ['auto', 'manual'] as const, `step ${spec.id} kind`);
  if (!Array.isArray(spec.dependsOn) || spec.dependsOn.some((d) => typeof d !== 'string')) {
    throw new PermanentError(`step ${spec.id} dependsOn must be a list of step ids`);
  }
  return {
    run_id: runId, id: spec.id, seq, provider: spec.provider, phase: spec.phase, action: spec.action,
    target: spec.target, title: spec.title, kind: spec.kind,
    depends_on: toJsonText(spec.dependsOn, `step ${spec.id} dependsOn`),
    params: toJsonText(spec.params, `step ${spec.id} params`),
    instructions: spec.instructions ?? null, assignee: spec.assignee ?? null,
    state: spec.kind === 'manual' ? 'manual_pending' : 'pending', attempts: 0,
    lease_owner: null, lease_until: null, not_before: null, outcome: null, verified: null, verify_evidence: null,
    error: null, note: null, acted_by: null, started_at: null, finished_at: null, updated_at: now,
  };
}

export function runPatchToRow(patch: RunPatch): Partial<RunRow> {
  assertTime(patch.updatedAt, 'updatedAt');
  const row: Partial<RunRow> = {updated_at: patch.updatedAt};
  if (patch.status !== undefined) {
    assertRunStatus(patch.status);
    row.status = patch.status;
  }
  if (patch.approvedBy !== undefined) row.approved_by = nullableId(patch.approvedBy, 'approvedBy');
  if (patch.cancelledBy !== undefined) row.cancelled_by = nullableId(patch.cancelledBy, 'cancelledBy');
  if (patch.channelId !== undefined) row.channel_id = nullableId(patch.channelId, 'channelId');
  if (patch.postId !== undefined) row.post_id = nullableId(patch.postId, 'postId');
  if (patch.scheduledAt !== undefined) row.scheduled_at = nullableTime(patch.scheduledAt, 'scheduledAt');
  if (patch.startedAt !== undefined) row.started_at = nullableTime(patch.startedAt, 'startedAt');
  if (patch.finishedAt !== undefined) row.finished_at = nullableTime(patch.finishedAt, 'finishedAt');
  return row;
}

export function stepPatchToRow(patch: StepPatch): Partial<StepRow> {
  assertTime(patch.updatedAt, 'updatedAt');
  const row: Partial<StepRow> = {updated_at: patch.updatedAt};
  if (patch.state !== undefined) {
    assertStepState(patch.state);
    row.state = patch.state;
  }
  if (patch.attempts !== undefined) {
    assertCount(patch.attempts, 'attempts');
    row.attempts = patch.attempts;
  }
  if (patch.leaseOwner !== undefined) row.lease_owner = nullableId(patch.leaseOwner, 'leaseOwner');
  if (patch.leaseUntil !== undefined) row.lease_until = nullableTime(patch.leaseUntil, 'leaseUntil');
  if (patch.notBefore !== undefined) row.not_before = nullableTime(patch.notBefore, 'notBefore');
  if (patch.outcome !== undefined) {
    if (patch.outcome !== null) {
      assertOneOf(patch.outcome.kind, ['done', 'already_done', 'skipped'] as const, 'outcome kind');
    }
    row.outcome = patch.outcome === null ? null : toJsonText(patch.outcome, 'outcome');
  }
  if (patch.verified !== undefined) row.verified = patch.verified === null ? null : patch.verified ? 1 : 0;
  if (patch.verifyEvidence !== undefined) {
    row.verify_evidence = patch.verifyEvidence === null ? null : toJsonText(patch.verifyEvidence, 'verifyEvidence');
  }
  if (patch.error !== undefined) row.error = nullableText(patch.error, 'error');
  if (patch.note !== undefined) row.note = nullableText(patch.note, 'note');
  if (patch.actedBy !== undefined) row.acted_by = nullableId(patch.actedBy, 'actedBy');
  if (patch.startedAt !== undefined) row.started_at = nullableTime(patch.startedAt, 'startedAt');
  if (patch.finishedAt !== undefined) row.finished_at = nullableTime(patch.finishedAt, 'finishedAt');
  return row;
}

function nullableId(value: string | null, what: string): string | null {
  if (value !== null) assertId(value, what);
  return value;
}

function nullableText(value: string | null, what: string): string | null {
  if (value !== null) assertText(value, what);
  return value;
}

function nullableTime(value: number | null, what: string): number | null {
  assertTimeOrNull(value, what);
  return value;
}

export function inventoryToRow(record: InventoryRecord): InventoryRow {
  assertId(record.id, 'inventory id');
  assertId(record.initiatorId, 'initiatorId');
  assertTime(record.createdAt, 'createdAt');
  return {
    id: record.id, subject: subjectToText(record.subject), initiator_id: record.initiatorId,
    created_at: record.createdAt,
  };
}

export function inventoryProviderToRow(inventoryId: string, state: InventoryProviderState, position: number):
  InventoryProviderRow {
  assertId(state.provider, 'inventory provider');
  assertOneOf(state.status, ['pending', 'running', 'done', 'failed'] as const, 'inventory provider status');
  assertTime(state.updatedAt, 'updatedAt');
  return {
    inventory_id: inventoryId, provider: state.provider, position, status: state.status,
    identities: toJsonText(state.identities, 'identities'), findings: toJsonText(state.findings, 'findings'),
    error: nullableText(state.error, 'error'), updated_at: state.updatedAt,
  };
}

export function inventoryFromRows(row: InventoryRow, providers: readonly InventoryProviderRow[]): InventoryRecord {
  return {
    id: row.id,
    subject: parseJson<Subject>(row.subject, 'inventory subject'),
    initiatorId: row.initiator_id,
    createdAt: row.created_at,
    providers: [...providers].sort((a, b) => a.position - b.position).map((p) => ({
      provider: p.provider,
      status: p.status as InventoryProviderState['status'],
      identities: parseJson<InventoryProviderState['identities']>(p.identities, 'identities'),
      findings: parseJson<InventoryProviderState['findings']>(p.findings, 'findings'),
      error: p.error,
      updatedAt: p.updated_at,
    })),
  };
}

export function planToRow(record: PlanRecord): PlanRow {
  assertId(record.id, 'plan id');
  assertId(record.inventoryId, 'inventoryId');
  assertId(record.initiatorId, 'initiatorId');
  assertTime(record.createdAt, 'createdAt');
  return {
    id: record.id, inventory_id: record.inventoryId, subject: subjectToText(record.subject),
    initiator_id: record.initiatorId, options: toJsonText(record.options, 'plan options'),
    steps: toJsonText(record.steps, 'plan steps'), created_at: record.createdAt,
  };
}

export function planFromRow(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    inventoryId: row.inventory_id,
    subject: parseJson<Subject>(row.subject, 'plan subject'),
    initiatorId: row.initiator_id,
    options: parseJson<JsonObject>(row.options, 'plan options'),
    steps: parseJson<StepSpec[]>(row.steps, 'plan steps'),
    createdAt: row.created_at,
  };
}
