// `post.props.offboarding_run` of a `custom_offboarding_run` post (the run card contract). Posts are untrusted
// input: anything that does not parse renders the plain-text fallback instead of crashing the channel.
import {z} from 'zod/mini';

import {countsSchema, PHASES, RUN_STATUSES, STEP_STATES} from '../../rpc_types.js';

export const RUN_CARD_POST_TYPE = 'custom_offboarding_run';

const cardStepSchema = z.object({
    id: z.string(),
    provider: z.string(),
    phase: z.enum(PHASES),
    title: z.string(),
    kind: z.enum(['auto', 'manual']),
    state: z.enum(STEP_STATES),
    verified: z.nullable(z.boolean()),
    error: z.nullable(z.string()),
    assignee: z.nullable(z.string()),
    note: z.nullable(z.string()),
});
export type CardStep = z.infer<typeof cardStepSchema>;

export const runCardSchema = z.object({
    v: z.literal(1),
    run_id: z.string().check(z.minLength(1)),
    status: z.enum(RUN_STATUSES),
    subject: z.object({user_id: z.string(), username: z.string(), display_name: z.string()}),
    initiator_id: z.string(),
    approval_required: z.boolean(),
    approved_by: z.nullable(z.string()),
    scheduled_at: z.nullable(z.number()),
    counts: countsSchema,
    total: z.int().check(z.minimum(0)),
    steps: z.array(cardStepSchema).check(z.maxLength(500)),
    steps_truncated: z.boolean(),
    updated_at: z.number(),
});
export type RunCard = z.infer<typeof runCardSchema>;

/** The card in a post's props, or null when it is missing or malformed. */
export function parseRunCard(props: unknown): RunCard | null {
    if (typeof props !== 'object' || props === null) {
        return null;
    }
    const parsed = runCardSchema.safeParse((props as Record<string, unknown>).offboarding_run);
    return parsed.success ? parsed.data : null;
}

/** Steps that will not change again without an admin: done, already done, skipped, failed, manual done. */
export function finishedCount(card: Pick<RunCard, 'counts'>): number {
    const c = card.counts;
    return c.done + c.already_done + c.skipped + c.manual_done + c.failed;
}

export function isTerminal(status: RunCard['status']): boolean {
    return status === 'completed' || status === 'completed_with_errors' || status === 'cancelled';
}
