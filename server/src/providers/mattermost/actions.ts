// The table of step actions this provider plans, executes and verifies.
import {PermanentError} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import type {ActionHandler} from './action_kit.js';
import {accountHandlers} from './actions_account.js';
import {integrationHandlers} from './actions_integrations.js';
import type {Action} from './model.js';

const HANDLERS: Readonly<Record<Action, ActionHandler>> = {...accountHandlers, ...integrationHandlers};

/** The step's action, refused when this provider does not know it (a step from another version or provider). */
export function actionOf(step: StepSpec): Action {
  if (Object.hasOwn(HANDLERS, step.action)) return step.action as Action;
  throw new PermanentError(`The Mattermost provider has no action "${step.action}" (step ${step.id}).`);
}

export function handlerFor(action: Action): ActionHandler {
  return HANDLERS[action];
}
