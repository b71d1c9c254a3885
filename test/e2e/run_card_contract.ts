// The run card props contract (docs/run_card_contract.md) as a strict zod schema, so end-to-end tests check what the
// service really posted against the contract the webapp parses, not against the renderer's own idea of it.
import {z} from 'zod';

const id26 = z.string().regex(/^[a-z0-9]{26}$/);
const stepState = z.enum(['pending', 'running', 'done', 'already_done', 'failed', 'skipped', 'manual_pending',
  'manual_done']);
const count = z.number().int().nonnegative();

export const runCardStepSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  phase: z.enum(['contain', 'revoke', 'cleanup', 'verify', 'report']),
  title: z.string(),
  kind: z.enum(['auto', 'manual']),
  state: stepState,
  verified: z.boolean().nullable(),
  error: z.string().nullable(),
  assignee: z.string().nullable(),
  note: z.string().nullable(),
}).strict();

export const offboardingRunSchema = z.object({
  v: z.literal(1),
  run_id: id26,
  status: z.enum(['scheduled', 'awaiting_approval', 'running', 'completed', 'completed_with_errors', 'cancelled']),
  subject: z.object({user_id: id26, username: z.string().min(1), display_name: z.string()}).strict(),
  initiator_id: id26,
  approval_required: z.boolean(),
  approved_by: id26.nullable(),
  scheduled_at: z.number().int().nullable(),
  counts: z.object({
    pending: count, running: count, done: count, already_done: count, failed: count, skipped: count,
    manual_pending: count, manual_done: count,
  }).strict(),
  total: count,
  steps: z.array(runCardStepSchema).max(500),
  steps_truncated: z.boolean(),
  updated_at: z.number().int().positive(),
}).strict();

const actionSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9]+$/),
  name: z.string().min(1),
  type: z.literal('button'),
  style: z.string(),
  integration: z.object({
    url: z.string().url(),
    context: z.object({
      token: z.string().min(1),
      action: z.enum(['retry_step', 'skip_step', 'complete_manual', 'approve', 'cancel']),
      run_id: id26,
      step_id: z.string().optional(),
    }).strict(),
  }).strict(),
}).strict();

/** Props as stored by the server (the simulator's state keeps `integration`; clients never see it). */
export const runCardPropsSchema = z.object({
  offboarding_run: offboardingRunSchema,
  attachments: z.array(z.object({
    fallback: z.string().optional(),
    text: z.string().optional(),
    actions: z.array(actionSchema).max(10),
  }).strict()).optional(),
}).strict();

export type RunCardProps = z.infer<typeof runCardPropsSchema>;
