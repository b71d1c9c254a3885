// Maps driver errors onto the OffboardError family: lock contention and lost connections are transient,
// constraint violations are permanent (the input clashes with what is stored). Anything else is a bug and passes.
import {PermanentError, TransientError, errorMessage, isOffboardError} from '../engine/errors.js';

// Postgres SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html
const PG_TRANSIENT = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400']);
const NODE_TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

function codeOf(e: unknown): string | undefined {
  const code = (e as {code?: unknown} | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(e: unknown): boolean {
  const code = codeOf(e);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function toStoreError(e: unknown, what: string): unknown {
  if (isOffboardError(e)) return e;
  const code = codeOf(e);
  if (code === undefined) {
    // pg reports a dropped connection or pool timeout as a plain Error without a code.
    const message = errorMessage(e);
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i
      .test(message)) {
      return new TransientError(`${what}: database connection lost`, {cause: e});
    }
    return e;
  }
  if (PG_TRANSIENT.has(code) || code.startsWith('08') || NODE_TRANSIENT.has(code) ||
    code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new TransientError(`${what}: database busy or unavailable (${code})`, {cause: e});
  }
  if (isUniqueViolation(e)) return new PermanentError(`${what}: already exists`, {cause: e});
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new PermanentError(`${what}: refers to something that does not exist`, {cause: e});
  }
  return e;
}

/** Runs a store operation and maps its driver errors. */
export async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toStoreError(e, what);
  }
}
