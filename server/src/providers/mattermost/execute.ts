// execute(): idempotent. The target state is read first; an already reached state is `already_done` on that fresh
// read alone, and a 404 while acting counts as `already_done` only when a second read confirms the state.
import {PermanentError} from '../../engine/errors.js';
import type {JsonObject, ProviderContext, StepOutcome, StepSpec} from '../../engine/types.js';
import {actionOf, handlerFor} from './actions.js';
import {connect, isNotFound} from './client.js';
import {stepError} from './errors.js';

export async function execute(ctx: ProviderContext<unknown>, step: StepSpec): Promise<StepOutcome> {
  const action = actionOf(step);
  const h = handlerFor(action);
  const api = connect(ctx);
  try {
    const before = await h.read(api, step);
    if (before.satisfied) return {kind: 'already_done', evidence: before.evidence};
    let evidence: JsonObject;
    try {
      evidence = await h.act(api, step, before);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const after = await h.read(api, step);
      if (!after.satisfied) {
        const left = after.remaining ?? 'the target is unchanged';
        throw new PermanentError(`Mattermost answered 404 to "${step.title}", yet ${left}.`,
          {cause: e, details: after.evidence});
      }
      return {kind: 'already_done', evidence: {...after.evidence, gone_during_change: true}};
    }
    ctx.log.info({step: step.id, action}, 'mattermost step done');
    return {kind: 'done', evidence};
  } catch (e) {
    throw stepError(e, step, action);
  }
}
