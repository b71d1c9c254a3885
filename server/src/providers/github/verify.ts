// verify(): a fresh read that proves the step's effect, with the same observation execute() decides on.
import type {ProviderContext, StepSpec, VerifyResult} from '../../engine/types.js';
import {handlerFor} from './actions.js';
import {connect} from './client.js';
import type {GithubConfig} from './config.js';
import {githubError} from './errors.js';
import {paramString} from './model.js';

export async function verify(ctx: ProviderContext<GithubConfig>, step: StepSpec): Promise<VerifyResult> {
  const h = handlerFor(step);
  try {
    const seen = await h.read(await connect(ctx, paramString(step, 'org')), step);
    return seen.satisfied
      ? {ok: true, evidence: seen.evidence}
      : {ok: false, evidence: seen.evidence, reason: seen.remaining ?? 'the access is still there'};
  } catch (e) {
    throw githubError(e, `verify "${step.title}"`, h.needs);
  }
}
