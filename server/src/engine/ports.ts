// The storage port the engine depends on. store/ implements it with kysely (SQLite or Postgres);
// the engine never imports the store, only this interface.
import type {
  AuditEvent, AuditInput, Finding, Identity, JsonObject, NewRun, ProviderId, Run, RunStatus, Step, StepOutcome,
  StepSpec, StepState, Subject,
} from './types.js';

/** Fields of a run that may change after creation. */
export interface RunPatch {
  readonly status?: RunStatus;
  readonly approvedBy?: string | null;
  readonly cancelledBy?: string | null;
  readonly scheduledAt?: number | null;
  readonly channelId?: string | null;
  readonly postId?: string | null;
  readonly startedAt?: number | null;
  readonly finishedAt?: number | null;
  readonly updatedAt: number;
}

/** Fields of a step that may change after creation. */
export interface StepPatch {
  readonly state?: StepState;
  readonly attempts?: number;
  readonly leaseOwner?: string | null;
  readonly leaseUntil?: number | null;
  readonly notBefore?: number | null;
  readonly outcome?: StepOutcome | null;
  readonly verified?: boolean | null;
  readonly verifyEvidence?: JsonObject | null;
  readonly error?: string | null;
  readonly note?: string | null;
  readonly actedBy?: string | null;
  readonly startedAt?: number | null;
  readonly finishedAt?: number | null;
  readonly updatedAt: number;
}

export interface InventoryProviderState {
  readonly provider: ProviderId;
  readonly status: 'pending' | 'running' | 'done' | 'failed';
  readonly identities: readonly Identity[];
  readonly findings: readonly Finding[];
  readonly error: string | null;
  readonly updatedAt: number;
}

export interface InventoryRecord {
  readonly id: string;
  readonly subject: Subject;
  readonly initiatorId: string;
  readonly createdAt: number;
  readonly providers: readonly InventoryProviderState[];
}

export interface PlanRecord {
  readonly id: string;
  readonly inventoryId: string;
  readonly subject: Subject;
  readonly initiatorId: string;
  readonly options: JsonObject;
  readonly steps: readonly StepSpec[];
  readonly createdAt: number;
}

export interface RunFilter {
  readonly statuses?: readonly RunStatus[];
  readonly subjectUserId?: string;
  readonly limit?: number;
}

export interface RunStore {
  /** Creates the run, its steps (seq = array order) and the first audit event in one transaction. */
  createRun(run: NewRun, steps: readonly StepSpec[], event: AuditInput): Promise<Run>;
  getRun(id: string): Promise<Run | undefined>;
  listRuns(filter?: RunFilter): Promise<Run[]>;
  listSteps(runId: string): Promise<Step[]>;
  getStep(runId: string, stepId: string): Promise<Step | undefined>;

  /**
   * Compare-and-set on the run's status: applies `patch` only if the current status is one of `from`
   * (any status when `from` is empty), appending `event` in the same transaction. Returns the new run or
   * undefined when another actor changed it first.
   */
  transitionRun(id: string, from: readonly RunStatus[], patch: RunPatch, event?: AuditInput): Promise<Run | undefined>;

  /**
   * Claims the first claimable step among `candidateIds` (in the given order) for `owner` until now + leaseMs.
   * Claimable: state `pending` with notBefore null or <= now, or state `running` whose lease expired.
   * Exactly one of several concurrent claimers wins (SQLite: conditional UPDATE; Postgres: FOR UPDATE SKIP LOCKED).
   * Increments attempts and sets startedAt if unset. `event`, built from the claimed step, is appended in the same
   * transaction, so no attempt can exist without its audit record.
   */
  claimStep(runId: string, candidateIds: readonly string[], owner: string, now: number, leaseMs: number,
    event?: (claimed: Step) => AuditInput): Promise<Step | undefined>;

  /** Extends a lease the owner still holds; false if it lost it. */
  renewLease(runId: string, stepId: string, owner: string, leaseUntil: number): Promise<boolean>;

  /**
   * Compare-and-set on a step: applies `patch` only if its state is one of `from` and, when `owner` is given,
   * it is still leased by `owner` (fencing a replica that lost its lease). Appends `event` atomically.
   */
  updateStep(runId: string, stepId: string, from: readonly StepState[], owner: string | null, patch: StepPatch,
    event?: AuditInput): Promise<Step | undefined>;

  appendAudit(runId: string, event: AuditInput): Promise<AuditEvent>;
  listAudit(runId: string): Promise<AuditEvent[]>;
  /**
   * The last appended event's seq and hash as recorded on the run row (updated in the same transaction as each
   * append), so an export can detect a deleted tail; undefined for an unknown run or a run without events.
   */
  getAuditHead(runId: string): Promise<{readonly seq: number; readonly hash: string} | undefined>;
  /**
   * The events and the recorded head from ONE snapshot: progress posts keep appending after a run ends, and two
   * separate reads would make a verifier see a truncated chain.
   */
  readAuditTrail(runId: string): Promise<{
    readonly events: AuditEvent[];
    readonly head: {readonly seq: number; readonly hash: string} | undefined;
  }>;

  saveInventory(record: InventoryRecord): Promise<void>;
  updateInventoryProvider(inventoryId: string, state: InventoryProviderState): Promise<void>;
  getInventory(id: string): Promise<InventoryRecord | undefined>;
  savePlan(record: PlanRecord): Promise<void>;
  getPlan(id: string): Promise<PlanRecord | undefined>;

  /** Small key/value settings (e.g. the registered /offboard command id per team). */
  getSetting(key: string): Promise<string | undefined>;
  putSetting(key: string, value: string): Promise<void>;

  /** Cheap round-trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
