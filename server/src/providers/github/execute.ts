// execute(): idempotent. The target state is read first; an already reached state is `already_done` on that fresh
// read alone, and a 404 while acting counts as `already_done` only when a second read confirms the state (GitHub
// answers 404 for "not allowed to see it" too).
import {PermanentError} from '../../engine/errors.js';
import type {JsonObject, ProviderContext, StepOutcome, StepSpec} from '../../engine/types.js';
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
    const before = await h.read(api, step);
    if (before.satisfied) return {kind: 'already_done', evidence: before.evidence};
    let evidence: JsonObject;
    try {
      evidence = await h.act(api, step, before);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const after = await h.read(api, step);
      if (!after.satisfied) {
        throw new PermanentError(`GitHub answered 404 to "${step.title}", yet ${after.remaining ?? 'the access is unchanged'}.`,
          {cause: e, details: after.evidence});
      }
      return {kind: 'already_done', evidence: {...after.evidence, gone_during_change: true}};
    }
    ctx.log.info({step: step.id}, 'github step done');
    return {kind: 'done', evidence};
  } catch (e) {
    throw githubError(e, what, h.needs);
  }
}
