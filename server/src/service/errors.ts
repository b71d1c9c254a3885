// Errors a caller (admin, webapp, CLI) caused: they carry an RPC error code and a message written for people.
import {PermanentError} from '../engine/errors.js';
import type {RpcErrorCode} from '../mattermost/rpc_schema.js';

export class RequestError extends PermanentError {
  readonly rpcCode: RpcErrorCode;

  constructor(rpcCode: RpcErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, {details});
    this.rpcCode = rpcCode;
  }
}

export function isRequestError(e: unknown): e is RequestError {
  return e instanceof RequestError;
}
