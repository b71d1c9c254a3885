// Result shapes of the service's RPC methods (server/src/mattermost/rpc.ts, server/src/service/views.ts), parsed with
// zod so a version mismatch between plugin and service becomes a readable error instead of a broken render.
import {z} from 'zod/mini';

export const subjectSchema = z.object({
    user_id: z.string(),
    username: z.string(),
    email: z.string(),
    display_name: z.string(),
    roles: z.array(z.string()),
    is_bot: z.boolean(),
    is_system_admin: z.boolean(),
});
export type SubjectView = z.infer<typeof subjectSchema>;

const planOptionSchema = z.object({
    key: z.string(),
    title: z.string(),
    type: z.enum(['boolean', 'choice', 'text']),
    default: z.unknown(),
    choices: z.nullable(z.array(z.object({value: z.string(), title: z.string()}))),
});
export type PlanOptionView = z.infer<typeof planOptionSchema>;

/** How the modal asks for the person's identity in one system; null where it cannot be entered (Mattermost). */
const identityInputSchema = z.object({
    label: z.string(),
    placeholder: z.string(),
    /** A regular expression source each entered id must match (checked with the `u` flag). */
    pattern: z.nullable(z.string()),
    max_ids: z.number(),
});
export type IdentityInputView = z.infer<typeof identityInputSchema>;

export const capabilitiesSchema = z.object({
    version: z.number(),
    caller: z.object({user_id: z.string(), username: z.string(), is_system_admin: z.boolean()}),
    require_approval: z.boolean(),
    run_actions: z.array(z.string()),
    providers: z.array(z.object({
        id: z.string(),
        title: z.string(),
        identity_input: z.nullable(identityInputSchema),
        plan_options: z.array(planOptionSchema),
    })),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

const identitySchema = z.object({
    id: z.string(),
    label: z.string(),
    source: z.string(),
    confidence: z.enum(['exact', 'ambiguous', 'not_found']),
});
export type IdentityView = z.infer<typeof identitySchema>;

const inventoryProviderSchema = z.object({
    id: z.string(),
    title: z.string(),
    status: z.enum(['pending', 'running', 'done', 'failed']),
    error: z.nullable(z.string()),
    identities: z.array(identitySchema),
    counts: z.record(z.string(), z.number()),
    total_findings: z.number(),
});
export type InventoryProviderView = z.infer<typeof inventoryProviderSchema>;

export const inventorySchema = z.object({
    id: z.string(),
    subject: subjectSchema,
    done: z.boolean(),
    providers: z.array(inventoryProviderSchema),
});
export type InventoryView = z.infer<typeof inventorySchema>;

const findingSchema = z.object({
    id: z.string(),
    kind: z.string(),
    label: z.string(),
    risk: z.enum(['high', 'medium', 'low']),
    residual: z.boolean(),
    identity_id: z.string(),
});
export type FindingView = z.infer<typeof findingSchema>;

export const PHASES = ['contain', 'revoke', 'cleanup', 'verify', 'report'] as const;
export type Phase = (typeof PHASES)[number];

const stepSpecSchema = z.object({
    id: z.string(),
    provider: z.string(),
    phase: z.enum(PHASES),
    action: z.string(),
    target: z.string(),
    title: z.string(),
    kind: z.enum(['auto', 'manual']),
    depends_on: z.array(z.string()),
    instructions: z.nullable(z.string()),
    assignee: z.nullable(z.string()),
});
export type StepSpecView = z.infer<typeof stepSpecSchema>;

export const RUN_STATUSES = ['scheduled', 'awaiting_approval', 'running', 'completed', 'completed_with_errors', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_STATES = [
    'pending', 'running', 'done', 'already_done', 'failed', 'skipped', 'manual_pending', 'manual_done',
] as const;
export type StepState = (typeof STEP_STATES)[number];

const count = z.int().check(z.minimum(0));

export const countsSchema = z.object(
    Object.fromEntries(STEP_STATES.map((s) => [s, count])) as Record<StepState, typeof count>,
);
export type StepCounts = z.infer<typeof countsSchema>;

export const runSchema = z.object({
    id: z.string(),
    status: z.enum(RUN_STATUSES),
    subject: subjectSchema,
    initiator_id: z.string(),
    approval_required: z.boolean(),
    approved_by: z.nullable(z.string()),
    scheduled_at: z.nullable(z.number()),
    channel_id: z.nullable(z.string()),
    post_id: z.nullable(z.string()),
    updated_at: z.number(),
    counts: countsSchema,
    total_steps: z.number(),
});
export type RunView = z.infer<typeof runSchema>;

const page = {total: z.number(), next_page: z.nullable(z.number())};

/** Every method's result schema; the client parses `props.result` with the method's entry. */
export const RPC_RESULTS = {
    'capabilities': capabilitiesSchema,
    'subject.resolve': z.object({subject: subjectSchema, warnings: z.array(z.string())}),
    'inventory.start': z.object({inventory_id: z.string()}),
    'inventory.get': z.object({
        inventory: inventorySchema,
        findings: z.optional(z.array(findingSchema)),
        total: z.optional(z.number()),
        next_page: z.optional(z.nullable(z.number())),
    }),
    'plan.create': z.object({plan_id: z.string(), subject: subjectSchema, steps: z.array(stepSpecSchema), ...page}),
    'plan.get': z.object({plan_id: z.string(), subject: subjectSchema, steps: z.array(stepSpecSchema), ...page}),
    'run.start': z.object({run: runSchema}),
    'run.get': z.object({run: runSchema}),
    'run.act': z.object({run: runSchema}),
} as const;

export type RpcMethod = keyof typeof RPC_RESULTS;
export type RpcResult<M extends RpcMethod> = z.infer<(typeof RPC_RESULTS)[M]>;
