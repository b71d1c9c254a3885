// An in-memory RunStore with the port's semantics (compare-and-set, lease fencing, ordered audit) for fast tests.
// It does NOT hash the audit trail: prevHash and hash stay '' (the hash chain belongs to the real store).
import {leaseExpired} from '../run_state.js';
import type {
  InventoryProviderState, InventoryRecord, PlanRecord, RunFilter, RunPatch, RunStore, StepPatch,
} from '../ports.js';
import type {AuditEvent, AuditInput, NewRun, Run, RunStatus, Step, StepSpec, StepState} from '../types.js';

/** Copies out, so callers can never mutate what the store holds (like rows read from a database). */
function copy<T>(value: T): T {
  return structuredClone(value);
}

/** Only keys whose value is given; `undefined` means "leave as is", `null` means "clear". */
function definedEntries<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function specOf(spec: StepSpec): StepSpec {
  const {id, provider, phase, action, target, title, kind, dependsOn, params, instructions, assignee} = spec;
  return {
    id, provider, phase, action, target, title, kind, dependsOn: [...dependsOn], params: copy(params),
    ...(instructions === undefined ? {} : {instructions}),
    ...(assignee === undefined ? {} : {assignee}),
  };
}

export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, Run>();
  private readonly steps = new Map<string, Map<string, Step>>();
  private readonly audit = new Map<string, AuditEvent[]>();
  private readonly inventories = new Map<string, InventoryRecord>();
  private readonly plans = new Map<string, PlanRecord>();
  private readonly settings = new Map<string, string>();
  private closed = false;

  async createRun(run: NewRun, steps: readonly StepSpec[], event: AuditInput): Promise<Run> {
    this.open();
    if (this.runs.has(run.id)) throw new Error(`run ${run.id} already exists`);
    const created: Run = {
      ...copy(run),
      approvedBy: null,
      cancelledBy: null,
      channelId: null,
      postId: null,
      updatedAt: run.createdAt,
      // NewRun has no startedAt: a run created as `running` starts at creation.
      startedAt: run.status === 'running' ? run.createdAt : null,
      finishedAt: null,
    };
    const rows = new Map<string, Step>();
    steps.forEach((spec, seq) => {
      if (rows.has(spec.id)) throw new Error(`duplicate step id ${spec.id}`);
      rows.set(spec.id, {
        ...specOf(spec), runId: run.id, seq, state: 'pending', attempts: 0, leaseOwner: null, leaseUntil: null,
        notBefore: null, outcome: null, verified: null, verifyEvidence: null, error: null, note: null, actedBy: null,
        startedAt: null, finishedAt: null, updatedAt: run.createdAt,
      });
    });
    this.runs.set(run.id, created);
    this.steps.set(run.id, rows);
    this.audit.set(run.id, []);
    this.append(run.id, event);
    return copy(created);
  }

  async getRun(id: string): Promise<Run | undefined> {
    this.open();
    const run = this.runs.get(id);
    return run && copy(run);
  }

  /** Newest first (createdAt, then id), like `/offboard list`. */
  async listRuns(filter: RunFilter = {}): Promise<Run[]> {
    this.open();
    const runs = [...this.runs.values()]
      .filter((r) => !filter.statuses || filter.statuses.includes(r.status))
      .filter((r) => filter.subjectUserId === undefined || r.subject.userId === filter.subjectUserId)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    return copy(filter.limit === undefined ? runs : runs.slice(0, filter.limit));
  }

  async listSteps(runId: string): Promise<Step[]> {
    this.open();
    return copy([...(this.steps.get(runId)?.values() ?? [])].sort((a, b) => a.seq - b.seq));
  }

  async getStep(runId: string, stepId: string): Promise<Step | undefined> {
    this.open();
    const step = this.steps.get(runId)?.get(stepId);
    return step && copy(step);
  }

  async transitionRun(id: string, from: readonly RunStatus[], patch: RunPatch, event?: AuditInput):
    Promise<Run | undefined> {
    this.open();
    const run = this.runs.get(id);
    if (!run || (from.length > 0 && !from.includes(run.status))) return undefined;
    const next: Run = {...run, ...definedEntries(copy(patch))};
    this.runs.set(id, next);
    if (event) this.append(id, event);
    return copy(next);
  }

  async claimStep(runId: string, candidateIds: readonly string[], owner: string, now: number, leaseMs: number,
    event?: (claimed: Step) => AuditInput): Promise<Step | undefined> {
    this.open();
    const rows = this.steps.get(runId);
    for (const id of candidateIds) {
      const step = rows?.get(id);
      if (!step) continue;
      const due = step.state === 'pending' && (step.notBefore === null || step.notBefore <= now);
      const abandoned = step.state === 'running' && leaseExpired(step, now);
      if (!due && !abandoned) continue;
      const claimed: Step = {
        ...step, state: 'running', leaseOwner: owner, leaseUntil: now + leaseMs, attempts: step.attempts + 1,
        startedAt: step.startedAt ?? now, updatedAt: now,
      };
      rows?.set(id, claimed);
      if (event) this.append(runId, event(claimed));
      return copy(claimed);
    }
    return undefined;
  }

  async renewLease(runId: string, stepId: string, owner: string, leaseUntil: number): Promise<boolean> {
    this.open();
    const rows = this.steps.get(runId);
    const step = rows?.get(stepId);
    if (!step || step.state !== 'running' || step.leaseOwner !== owner) return false;
    rows?.set(stepId, {...step, leaseUntil});
    return true;
  }

  /** An empty `from` matches any state, as in transitionRun(). */
  async updateStep(runId: string, stepId: string, from: readonly StepState[], owner: string | null,
    patch: StepPatch, event?: AuditInput): Promise<Step | undefined> {
    this.open();
    const rows = this.steps.get(runId);
    const step = rows?.get(stepId);
    if (!step || (from.length > 0 && !from.includes(step.state))) return undefined;
    if (owner !== null && step.leaseOwner !== owner) return undefined;
    const next: Step = {...step, ...definedEntries(copy(patch))};
    rows?.set(stepId, next);
    if (event) this.append(runId, event);
    return copy(next);
  }

  async appendAudit(runId: string, event: AuditInput): Promise<AuditEvent> {
    this.open();
    return copy(this.append(runId, event));
  }

  async listAudit(runId: string): Promise<AuditEvent[]> {
    this.open();
    return copy(this.audit.get(runId) ?? []);
  }

  /** The hash is '' like every hash here; seq is what lets callers detect a truncated tail. */
  async getAuditHead(runId: string): Promise<{readonly seq: number; readonly hash: string} | undefined> {
    this.open();
    const last = this.audit.get(runId)?.at(-1);
    return last && {seq: last.seq, hash: last.hash};
  }

  async readAuditTrail(runId: string): Promise<{events: AuditEvent[]; head: {seq: number; hash: string} | undefined}> {
    return {events: await this.listAudit(runId), head: await this.getAuditHead(runId)};
  }

  async saveInventory(record: InventoryRecord): Promise<void> {
    this.open();
    this.inventories.set(record.id, copy(record));
  }

  async updateInventoryProvider(inventoryId: string, state: InventoryProviderState): Promise<void> {
    this.open();
    const record = this.inventories.get(inventoryId);
    if (!record) throw new Error(`inventory ${inventoryId} does not exist`);
    const others = record.providers.filter((p) => p.provider !== state.provider);
    const providers = record.providers.some((p) => p.provider === state.provider)
      ? record.providers.map((p) => (p.provider === state.provider ? copy(state) : p))
      : [...others, copy(state)];
    this.inventories.set(inventoryId, {...record, providers});
  }

  async getInventory(id: string): Promise<InventoryRecord | undefined> {
    this.open();
    const record = this.inventories.get(id);
    return record && copy(record);
  }

  async savePlan(record: PlanRecord): Promise<void> {
    this.open();
    this.plans.set(record.id, copy(record));
  }

  async getPlan(id: string): Promise<PlanRecord | undefined> {
    this.open();
    const record = this.plans.get(id);
    return record && copy(record);
  }

  async getSetting(key: string): Promise<string | undefined> {
    this.open();
    return this.settings.get(key);
  }

  async putSetting(key: string, value: string): Promise<void> {
    this.open();
    this.settings.set(key, value);
  }

  async ping(): Promise<void> {
    this.open();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new Error('store is closed');
  }

  private append(runId: string, event: AuditInput): AuditEvent {
    const events = this.audit.get(runId);
    if (!events) throw new Error(`run ${runId} does not exist`);
    const stored: AuditEvent = {...copy(event), runId, seq: events.length + 1, prevHash: '', hash: ''};
    events.push(stored);
    return stored;
  }
}
