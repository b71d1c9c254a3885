// The run report as one JSON-ready object: the run, every step with its evidence, and the audit chain's state.
// Pure: export.ts renders it as JSON, CSV or Markdown.
import {STEP_STATES} from '../engine/types.js';
import type {AuditEvent, JsonObject, Phase, Run, RunStatus, Step, StepState} from '../engine/types.js';
import type {ChainProblem} from './chain.js';

export type StepCounts = {total: number} & Record<StepState, number>;

export interface ReportStep {
  readonly id: string;
  readonly provider: string;
  readonly phase: Phase;
  readonly action: string;
  readonly target: string;
  readonly title: string;
  readonly kind: 'auto' | 'manual';
  readonly state: StepState;
  readonly verified: boolean | null;
  readonly attempts: number;
  readonly error: string | null;
  readonly note: string | null;
  readonly actedBy: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** What execute() observed or changed, and what verify() read back. */
  readonly evidence: {readonly outcome: JsonObject | null; readonly verification: JsonObject | null};
}

export interface Report {
  readonly run: {
    readonly id: string;
    readonly status: RunStatus;
    readonly subject: {
      readonly userId: string;
      readonly username: string;
      readonly email: string;
      readonly displayName: string;
    };
    readonly initiatorId: string;
    readonly createdAt: string;
    readonly startedAt: string | null;
    readonly finishedAt: string | null;
    readonly approvedBy: string | null;
    readonly cancelledBy: string | null;
    readonly counts: StepCounts;
  };
  readonly steps: ReportStep[];
  readonly audit: {
    readonly events: number;
    /** Hash of the last event, null when the run has none. */
    readonly head: string | null;
    readonly verified?: boolean;
    readonly problems?: ChainProblem[];
  };
}

export interface ReportVerification {
  readonly ok: boolean;
  readonly problems: readonly ChainProblem[];
}

export function buildReport(run: Run, steps: readonly Step[], events: readonly AuditEvent[],
  verification?: ReportVerification): Report {
  const ordered = [...steps].sort((a, b) => a.seq - b.seq);
  const lastEvent = [...events].sort((a, b) => a.seq - b.seq).at(-1);
  return {
    run: {
      id: run.id,
      status: run.status,
      subject: {
        userId: run.subject.userId,
        username: run.subject.username,
        email: run.subject.email,
        displayName: run.subject.displayName,
      },
      initiatorId: run.initiatorId,
      createdAt: isoTime(run.createdAt),
      startedAt: isoOrNull(run.startedAt),
      finishedAt: isoOrNull(run.finishedAt),
      approvedBy: run.approvedBy,
      cancelledBy: run.cancelledBy,
      counts: buildStepCounts(ordered),
    },
    steps: ordered.map(buildReportStep),
    audit: {
      events: events.length,
      head: lastEvent?.hash ?? null,
      ...(verification ? {verified: verification.ok, problems: [...verification.problems]} : {}),
    },
  };
}

export function buildStepCounts(steps: readonly Step[]): StepCounts {
  const counts = {total: steps.length} as StepCounts;
  for (const state of STEP_STATES) counts[state] = 0;
  for (const step of steps) counts[step.state] += 1;
  return counts;
}

function buildReportStep(step: Step): ReportStep {
  return {
    id: step.id,
    provider: step.provider,
    phase: step.phase,
    action: step.action,
    target: step.target,
    title: step.title,
    kind: step.kind,
    state: step.state,
    verified: step.verified,
    attempts: step.attempts,
    error: step.error,
    note: step.note,
    actedBy: step.actedBy,
    startedAt: isoOrNull(step.startedAt),
    finishedAt: isoOrNull(step.finishedAt),
    evidence: {outcome: step.outcome?.evidence ?? null, verification: step.verifyEvidence},
  };
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}
