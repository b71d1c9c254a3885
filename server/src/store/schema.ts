// Table shapes as kysely sees them (snake_case, as stored). Only rows.ts turns these into domain types.
// Times are epoch milliseconds (bigint columns read as numbers), booleans are 0/1 integers, JSON is text.

export interface RunsTable {
  id: string;
  status: string;
  subject: string;
  subject_user_id: string;
  initiator_id: string;
  plan_id: string | null;
  options: string;
  scheduled_at: number | null;
  approval_required: number;
  approved_by: string | null;
  cancelled_by: string | null;
  channel_id: string | null;
  post_id: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** Head of the audit chain, written in the same transaction as each append (seq 0 = no events). */
  audit_seq: number;
  audit_hash: string;
}

export interface StepsTable {
  run_id: string;
  id: string;
  seq: number;
  provider: string;
  phase: string;
  action: string;
  target: string;
  title: string;
  kind: string;
  depends_on: string;
  params: string;
  instructions: string | null;
  assignee: string | null;
  state: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  not_before: number | null;
  outcome: string | null;
  verified: number | null;
  verify_evidence: string | null;
  error: string | null;
  note: string | null;
  acted_by: string | null;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface AuditEventsTable {
  run_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  evidence: string;
  prev_hash: string;
  hash: string;
}

export interface InventoriesTable {
  id: string;
  subject: string;
  initiator_id: string;
  created_at: number;
}

export interface InventoryProvidersTable {
  inventory_id: string;
  provider: string;
  /** Order of the providers within the inventory, as saved. */
  position: number;
  status: string;
  identities: string;
  findings: string;
  error: string | null;
  updated_at: number;
}

export interface PlansTable {
  id: string;
  inventory_id: string;
  subject: string;
  initiator_id: string;
  options: string;
  steps: string;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  runs: RunsTable;
  steps: StepsTable;
  audit_events: AuditEventsTable;
  inventories: InventoriesTable;
  inventory_providers: InventoryProvidersTable;
  plans: PlansTable;
  settings: SettingsTable;
}

export type RunRow = RunsTable;
export type StepRow = StepsTable;
export type AuditRow = AuditEventsTable;
export type InventoryRow = InventoriesTable;
export type InventoryProviderRow = InventoryProvidersTable;
export type PlanRow = PlansTable;
