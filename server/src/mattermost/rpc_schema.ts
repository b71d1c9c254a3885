// The RPC contract between the webapp and the service (`/offboard rpc <method> <base64url(JSON)>`).
// Every payload carries v: 1, is strict (unknown keys are errors) and small: ids, not lists.
import {z} from 'zod';
import {MAX_ENTERED_IDENTITIES} from '../engine/types.js';

/** Largest decoded payload accepted; Mattermost commands are short and lists are paged. */
export const MAX_RPC_PAYLOAD_BYTES = 8 * 1024;

/** Longer than any GitHub login (39) or IAM user name (64); service/identity_hints.ts checks each provider's rules. */
export const MAX_ENTERED_ID_LENGTH = 128;

const mmId = z.string().regex(/^[a-z0-9]{26}$/, 'must be a 26-character Mattermost-style id');
const page = z.number().int().min(0).max(100_000).default(0);
const perPage = z.number().int().min(1).max(200).default(100);
const base = {v: z.literal(1)};

const jsonScalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
const optionValues = z.record(z.string().max(100), jsonScalar);

export const RUN_ACTIONS = ['retry_step', 'skip_step', 'complete_manual', 'approve', 'cancel'] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

export const RPC_SCHEMAS = {
  'capabilities': z.object(base).strict(),
  'subject.resolve': z.object({...base, query: z.string().trim().min(1).max(320)}).strict(),
  'inventory.start': z.object({
    ...base,
    user_id: mmId,
    /** Provider id → the person's ids there as the admin entered them; replaces that provider's automatic matching. */
    identities: z.record(z.string().max(64), z.array(
      z.string().trim().min(1, 'an entered identity is empty').max(MAX_ENTERED_ID_LENGTH,
        `an entered identity is longer than ${MAX_ENTERED_ID_LENGTH} characters`),
    ).max(MAX_ENTERED_IDENTITIES, `at most ${MAX_ENTERED_IDENTITIES} identities per system`)).optional(),
  }).strict(),
  'inventory.get': z.object({...base, inventory_id: mmId, provider: z.string().max(64).optional(), page, per_page: perPage})
    .strict(),
  'plan.create': z.object({
    ...base,
    inventory_id: mmId,
    options: z.record(z.string().max(64), optionValues).default({}),
    disabled_steps: z.array(z.string().max(300)).max(5000).default([]),
    /** Manual step id → Mattermost username of who should do it; empty leaves the step unassigned. */
    assignees: z.record(z.string().max(300), z.string().trim().max(64)).default({}),
  }).strict(),
  'plan.get': z.object({...base, plan_id: mmId, page, per_page: perPage}).strict(),
  'run.start': z.object({
    ...base,
    plan_id: mmId,
    /** The admin types the person's username to confirm, like deleting a repository on GitHub. */
    confirm_username: z.string().trim().min(1).max(64),
    mode: z.enum(['now', 'schedule', 'approval']).default('now'),
    /** ISO 8601 with an offset (the webapp converts date + time + timezone). */
    schedule_at: z.iso.datetime({offset: true}).optional(),
    timezone: z.string().max(64).optional(),
  }).strict().refine((p) => p.mode !== 'schedule' || p.schedule_at !== undefined, {
    message: 'schedule_at is required when mode is "schedule"', path: ['schedule_at'],
  }),
  'run.get': z.object({...base, run_id: mmId, page, per_page: perPage}).strict(),
  'run.list': z.object({...base, page, per_page: perPage}).strict(),
  'run.act': z.object({
    ...base,
    run_id: mmId,
    action: z.enum(RUN_ACTIONS),
    step_id: z.string().min(1).max(300).optional(),
    note: z.string().trim().max(2000).optional(),
  }).strict().refine((p) => !['retry_step', 'skip_step', 'complete_manual'].includes(p.action) || p.step_id, {
    message: 'step_id is required for this action', path: ['step_id'],
  }),
} as const;

export type RpcMethod = keyof typeof RPC_SCHEMAS;
export type RpcPayload<M extends RpcMethod> = z.output<(typeof RPC_SCHEMAS)[M]>;
export const RPC_METHODS = Object.keys(RPC_SCHEMAS) as RpcMethod[];

export function isRpcMethod(name: string): name is RpcMethod {
  return Object.hasOwn(RPC_SCHEMAS, name);
}

/** Error codes returned in `props.error.code`. */
export type RpcErrorCode =
  | 'bad_request' | 'unknown_method' | 'payload_too_large' | 'not_found' | 'refused' | 'conflict' | 'not_ready'
  | 'unavailable' | 'internal';
