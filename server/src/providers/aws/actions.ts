// The table of automatic step actions this provider plans, executes and verifies; manual steps never reach it.
import {PermanentError} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import type {ActionHandler} from './action_kit.js';
import {iamHandlers} from './actions_iam.js';
import {orgHandlers} from './actions_org.js';
import type {Action} from './model.js';

const HANDLERS: Readonly<Record<Action, ActionHandler>> = {
  ...iamHandlers, ...orgHandlers,
} as Record<Action, ActionHandler>;

/** The handler of the step's action, refused when this provider does not know it (another version's step). */
export function handlerFor(step: StepSpec): ActionHandler {
  if (Object.hasOwn(HANDLERS, step.action)) return HANDLERS[step.action as Action];
  throw new PermanentError(`The AWS provider has no automatic action "${step.action}" (step ${step.id}).`);
}
