// JSON-lines logging on pino, with secrets redacted by key name at any depth pino's redact syntax can express.
// silentLogger() is the do-nothing Logger for tests and for CLI commands that print their own output.
import {pino} from 'pino';
import type {DestinationStream} from 'pino';
import {LOG_LEVELS} from './config.js';
import {ConfigError} from './engine/errors.js';
import type {Logger} from './engine/types.js';

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
export const REDACTED_KEYS = [
  'token',
  'bot_token',
  'access_token',
  'password',
  'secret',
  'action_secret',
  'client_secret',
  'private_key',
  'authorization',
  'Authorization',
  'cookie',
] as const;

/** Nesting levels covered below the logged object (pino paths have no "any depth" wildcard). */
const REDACT_DEPTH = 4;

/** The pino redact paths: each key at the top and under up to REDACT_DEPTH wildcard levels. */
export function buildRedactPaths(keys: readonly string[] = REDACTED_KEYS): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    for (let depth = 0; depth <= REDACT_DEPTH; depth++) paths.push([...Array<string>(depth).fill('*'), key].join('.'));
  }
  return paths;
}

export interface CreateLoggerOptions {
  /** One of trace, debug, info, warn, error. */
  readonly level: string;
  /** Forces debug level (the CLI's -d flag) unless the level is already more verbose. */
  readonly debug?: boolean;
  /** Where the JSON lines go; stdout by default. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(opts: CreateLoggerOptions): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(opts.level)) {
    throw new ConfigError(`log level "${opts.level}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const level = opts.debug === true && opts.level !== 'trace' ? 'debug' : opts.level;
  const options = {
    level,
    redact: {paths: buildRedactPaths(), censor: '[redacted]'},
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names instead of numbers: the lines are read by admins and log tools, not only by pino-pretty.
    formatters: {level: (label: string) => ({level: label})},
  };
  const logger =
    opts.destination === undefined ? pino(options) : pino(options, opts.destination as DestinationStream);
  return logger;
}

/** A Logger that drops everything. */
export function silentLogger(): Logger {
  const noop = (): void => undefined;
  const logger: Logger = {debug: noop, info: noop, warn: noop, error: noop, child: () => logger};
  return logger;
}
