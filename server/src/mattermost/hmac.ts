// HMAC tokens for dialog `state` and button `context`: Mattermost signs neither request, so the service signs what it
// hands out and checks it when it comes back, bound to a user, a run, a purpose and an expiry.
// Format: base64url(JSON claims) + '.' + base64url(HMAC-SHA256(secret, context || payload)).
import {createHmac, timingSafeEqual} from 'node:crypto';
import {z} from 'zod';
import {ConfigError, PermanentError} from '../engine/errors.js';
import {CommandRefused} from './verify.js';

export interface ActionClaims {
  readonly userId: string;
  readonly runId: string | null;
  readonly purpose: string;
  /** Expiry, milliseconds since the epoch (the service clock's unit). */
  readonly exp: number;
}

/** What the token must match. `userId` / `runId` / `purpose` left undefined are not checked. */
export interface ExpectedAction {
  readonly userId?: string;
  readonly runId?: string | null;
  readonly purpose?: string;
  readonly now: number;
}

/** Mattermost stores `state` / `context` with the post or dialog; a bound keeps them small. */
export const MAX_ACTION_TOKEN_CHARS = 2048;
const MIN_SECRET_CHARS = 16;
const MAC_BYTES = 32;
/** Domain separation: a MAC made for anything else with the same secret is never a valid token. */
const MAC_CONTEXT = 'offboarding-action-token:v1:';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const claimsSchema = z.object({
  userId: z.string().min(1).max(200),
  runId: z.string().min(1).max(200).nullable(),
  purpose: z.string().min(1).max(500),
  exp: z.number().int().nonnegative(),
}).strict();

export function mintActionToken(secret: string, claims: ActionClaims): string {
  checkSecret(secret);
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new PermanentError('Invalid action token claims.');
  const {userId, runId, purpose, exp} = parsed.data;
  const payload = Buffer.from(JSON.stringify({userId, runId, purpose, exp}), 'utf8').toString('base64url');
  const token = `${payload}.${mac(secret, payload).toString('base64url')}`;
  if (token.length > MAX_ACTION_TOKEN_CHARS) {
    throw new PermanentError(`An action token would exceed ${MAX_ACTION_TOKEN_CHARS} characters.`);
  }
  return token;
}

/** Returns the claims of a token this service minted with `secret`, or throws CommandRefused. */
export function verifyActionToken(secret: string, token: string, expected: ExpectedAction): ActionClaims {
  checkSecret(secret);
  const malformed = (): CommandRefused => new CommandRefused('malformed_request', 'The action token is malformed.');
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_ACTION_TOKEN_CHARS) throw malformed();
  const parts = token.split('.');
  const [payload = '', signature = ''] = parts;
  if (parts.length !== 2 || !BASE64URL.test(payload) || !BASE64URL.test(signature)) throw malformed();

  const given = Buffer.from(signature, 'base64url');
  // Only the canonical encoding of a 32-byte MAC is accepted, so one token has exactly one spelling.
  if (given.length !== MAC_BYTES || given.toString('base64url') !== signature
    || !timingSafeEqual(given, mac(secret, payload))) {
    throw new CommandRefused('bad_signature', 'The action token was not issued by this service.');
  }

  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const parsed = claimsSchema.safeParse(decoded);
  if (!parsed.success) throw malformed();
  const claims: ActionClaims = parsed.data;

  if (expected.purpose !== undefined && claims.purpose !== expected.purpose) {
    throw new CommandRefused('wrong_purpose', 'The action token was issued for something else.');
  }
  if (expected.now >= claims.exp) {
    throw new CommandRefused('expired', 'This button or dialog has expired; start again.');
  }
  if (expected.userId !== undefined && claims.userId !== expected.userId) {
    throw new CommandRefused('wrong_user', 'The action token was issued to another user.');
  }
  if (expected.runId !== undefined && claims.runId !== expected.runId) {
    throw new CommandRefused('wrong_run', 'The action token belongs to another run.');
  }
  return claims;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(MAC_CONTEXT).update(payload).digest();
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_CHARS) {
    throw new ConfigError(`The action secret must be at least ${MIN_SECRET_CHARS} characters.`);
  }
}
