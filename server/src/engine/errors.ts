// The one error family of the service. `code` is a literal so callers switch on it instead of on classes or text.
// Transient → retry (may carry retryAfterMs), Permanent → fail the step, Config → fail before any step runs.

export type OffboardErrorCode = 'transient' | 'permanent' | 'config';

export interface OffboardErrorOptions {
  readonly cause?: unknown;
  /** Structured, secret-free details that may be shown to admins and stored as evidence. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export abstract class OffboardError extends Error {
  abstract readonly code: OffboardErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: OffboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = new.target.name;
    this.details = options.details ?? {};
  }
}

/** Worth retrying: network errors, 5xx, 429. `retryAfterMs` comes from Retry-After / X-RateLimit-Reset. */
export class TransientError extends OffboardError {
  readonly code = 'transient' as const;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: OffboardErrorOptions & {readonly retryAfterMs?: number} = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Retrying will not help: not permitted, invalid target, vendor refused. */
export class PermanentError extends OffboardError {
  readonly code = 'permanent' as const;
}

/** The configuration is wrong or incomplete; nothing should run until an admin fixes it. */
export class ConfigError extends OffboardError {
  readonly code = 'config' as const;
}

export function isOffboardError(e: unknown): e is OffboardError {
  return e instanceof OffboardError;
}

export function isTransient(e: unknown): e is TransientError {
  return e instanceof TransientError;
}

export function isPermanent(e: unknown): e is PermanentError {
  return e instanceof PermanentError;
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}

/** A short, single-line message for any thrown value, safe to store and show. */
export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';
}
