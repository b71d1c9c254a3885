// execute(): idempotent (providers/read_act.ts): the target state is read first; an already reached state is
// `already_done` on that fresh read alone, and a 404 while acting counts as `already_done` only when a second read
// confirms the state (GitHub answers 404 for "not allowed to see it" too).
import type {ProviderContext, StepOutcome, StepSpec} from '../../engine/types.js';
import {executeReadAct} from '../read_act.js';
import {handlerFor} from './actions.js';
import {connect, isNotFound} from './client.js';
import type {GithubConfig} from './config.js';
import {githubError} from './errors.js';
import {paramString} from './model.js';

export async function execute(ctx: ProviderContext<GithubConfig>, step: StepSpec): Promise<StepOutcome> {
  const h = handlerFor(step);
  const what = step.title.charAt(0).toLowerCase() + step.title.slice(1);
  try {
    const api = await connect(ctx, paramString(step, 'org'));
    const outcome = await executeReadAct(api, h, step, {vendor: 'GitHub', isGone: isNotFound});
    if (outcome.kind === 'done') ctx.log.info({step: step.id}, 'github step done');
    return outcome;
  } catch (e) {
    throw githubError(e, what, h.needs);
  }
}
