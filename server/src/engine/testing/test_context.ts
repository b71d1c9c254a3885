// Small doubles for engine tests: a logger that records (or drops) entries, a limiter that runs calls at once,
// and a context factory in the shape the Executor expects.
import type {Clock, Limiter, Logger, ProviderContext} from '../types.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly data: Record<string, unknown>;
}

/** A Logger that keeps every entry (children share the parent's list) so tests can assert on warnings. */
export class RecordingLogger implements Logger {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  debug(obj: object | string, msg?: string): void {
    this.push('debug', obj, msg);
  }

  info(obj: object | string, msg?: string): void {
    this.push('info', obj, msg);
  }

  warn(obj: object | string, msg?: string): void {
    this.push('warn', obj, msg);
  }

  error(obj: object | string, msg?: string): void {
    this.push('error', obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new RecordingLogger(this.entries, {...this.bindings, ...bindings});
  }

  /** Entries at `level` whose message contains `text`. */
  find(level: LogEntry['level'], text: string): LogEntry[] {
    return this.entries.filter((e) => e.level === level && e.msg.includes(text));
  }

  private push(level: LogEntry['level'], obj: object | string, msg?: string): void {
    const data = typeof obj === 'string' ? {} : {...(obj as Record<string, unknown>)};
    this.entries.push({level, msg: typeof obj === 'string' ? obj : msg ?? '', data: {...this.bindings, ...data}});
  }
}

export const passThroughLimiter: Limiter = {
  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return fn();
  },
};

/** The `contexts` argument of the Executor: an empty config; the Executor replaces the signal per step. */
export function testContexts(clock: Clock, log: Logger): (providerId: string) => ProviderContext<unknown> {
  return () => ({config: {}, log, clock, signal: new AbortController().signal, limiter: passThroughLimiter});
}
