// Errors a caller (admin, webapp, CLI) caused: they carry an RPC error code and a message written for people.
import {PermanentError} from '../engine/errors.js';
import type {RpcErrorCode} from '../mattermost/rpc_schema.js';

export class RequestError extends PermanentError {
  readonly rpcCode: RpcErrorCode;
  /** The input the error is about, as a payload path (`assignees.<step id>`, `identities.<provider>`), if one. */
  readonly field: string | null;

  constructor(rpcCode: RpcErrorCode, message: string, details: Record<string, unknown> = {}, field: string | null = null) {
    super(message, {details});
    this.rpcCode = rpcCode;
    this.field = field;
  }
}

export function isRequestError(e: unknown): e is RequestError {
  return e instanceof RequestError;
}
