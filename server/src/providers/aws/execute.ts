// execute(): idempotent. act() reports a target state that was already reached as `already_done`; a NoSuchEntity
// while acting counts as `already_done` only when a fresh read confirms the access is gone.
import {PermanentError} from '../../engine/errors.js';
import type {ProviderContext, StepOutcome, StepSpec} from '../../engine/types.js';
import {handlerFor} from './actions.js';
import {connect} from './client.js';
import {isNotFound, toOffboardError} from './errors.js';

export async function execute(ctx: ProviderContext<unknown>, step: StepSpec): Promise<StepOutcome> {
  const h = handlerFor(step);
  const api = connect(ctx);
  try {
    let result;
    try {
      result = await h.act(api, step, ctx.clock.now());
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const after = await h.read(api, step);
      if (!after.satisfied) {
        throw new PermanentError(`AWS answered ${e instanceof Error ? e.name : 'not found'} to "${step.title}", yet ` +
          `${after.remaining ?? 'the target is unchanged'}.`, {cause: e, details: after.evidence});
      }
      return {kind: 'already_done', evidence: {...after.evidence, gone_during_change: true}};
    }
    ctx.log.info({step: step.id}, result.already ? 'aws step already done' : 'aws step done');
    return {kind: result.already ? 'already_done' : 'done', evidence: result.evidence};
  } catch (e) {
    throw toOffboardError(e, `"${step.title}"`, h.permission);
  }
}
