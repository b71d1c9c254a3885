// verify(): a fresh read that proves the step's effect, with the same observation execute() decides on.
import type {ProviderContext, StepSpec, VerifyResult} from '../../engine/types.js';
import {verifyReadAct} from '../read_act.js';
import {handlerFor} from './actions.js';
import {connect} from './client.js';
import type {GithubConfig} from './config.js';
import {githubError} from './errors.js';
import {paramString} from './model.js';

export async function verify(ctx: ProviderContext<GithubConfig>, step: StepSpec): Promise<VerifyResult> {
  const h = handlerFor(step);
  try {
    return await verifyReadAct(await connect(ctx, paramString(step, 'org')), h, step);
  } catch (e) {
    throw githubError(e, `verify "${step.title}"`, h.needs);
  }
}
