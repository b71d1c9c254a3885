// execute(): idempotent (providers/read_act.ts): the target state is read first; an already reached state is
// `already_done` on that fresh read alone, and a 404 while acting counts only when a second read confirms the state.
import type {ProviderContext, StepOutcome, StepSpec} from '../../engine/types.js';
import {executeReadAct} from '../read_act.js';
import {actionOf, handlerFor} from './actions.js';
import {connect, isNotFound} from './client.js';
import {stepError} from './errors.js';

export async function execute(ctx: ProviderContext<unknown>, step: StepSpec): Promise<StepOutcome> {
  const action = actionOf(step);
  try {
    const outcome = await executeReadAct(connect(ctx), handlerFor(action), step,
      {vendor: 'Mattermost', isGone: isNotFound});
    if (outcome.kind === 'done') ctx.log.info({step: step.id, action}, 'mattermost step done');
    return outcome;
  } catch (e) {
    throw stepError(e, step, action);
  }
}
