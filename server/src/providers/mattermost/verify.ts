// verify(): a fresh read that proves the step's effect, with the same observation execute() decides on.
import type {ProviderContext, StepSpec, VerifyResult} from '../../engine/types.js';
import {verifyReadAct} from '../read_act.js';
import {actionOf, handlerFor} from './actions.js';
import {connect} from './client.js';
import {stepError} from './errors.js';

export async function verify(ctx: ProviderContext<unknown>, step: StepSpec): Promise<VerifyResult> {
  const action = actionOf(step);
  try {
    return await verifyReadAct(connect(ctx), handlerFor(action), step);
  } catch (e) {
    throw stepError(e, step, action);
  }
}
