// Verifies every slash-command request before anything else runs (DESIGN.md "How the parts talk" §2): the command
// token, the form, the trigger_id Mattermost signed with its ECDSA P-256 key, then the caller's access read fresh.
// Nothing the client says about who it is counts; tokens are compared in constant time and never logged or echoed.
import {createHash, createPublicKey, type KeyObject, timingSafeEqual, verify as verifySignature} from 'node:crypto';
import {z} from 'zod';
import {ConfigError, PermanentError} from '../engine/errors.js';
import type {Clock} from '../engine/types.js';
import {isNotFound} from './client.js';

export type VerifyRefusalReason =
  | 'missing_token' | 'bad_token' | 'missing_trigger' | 'bad_trigger' | 'stale_trigger' | 'trigger_user_mismatch'
  | 'unknown_user' | 'inactive_user' | 'not_allowed' | 'malformed_request';
/** Reasons of hmac.ts (dialog `state`, button `context`). */
export type ActionTokenRefusalReason =
  | 'bad_signature' | 'expired' | 'wrong_user' | 'wrong_run' | 'wrong_purpose' | 'malformed_request';
export type RefusalReason = VerifyRefusalReason | ActionTokenRefusalReason;

/** A request Mattermost did not vouch for, or a caller without access. The message is safe to show to the caller. */
export class CommandRefused extends PermanentError {
  readonly reason: RefusalReason;

  constructor(reason: RefusalReason, message: string) {
    super(message, {details: {reason}});
    this.reason = reason;
  }
}

/** The user record the role check reads (a subset of MattermostUser). */
export interface CallerRecord {
  readonly id: string;
  readonly username: string;
  readonly roles: string;
  readonly delete_at: number;
  readonly is_bot?: boolean;
}

export interface CommandVerifierDeps {
  /** Tokens of the registered /offboard commands (one per team); read on every request so regenerations apply. */
  readonly commandTokens: () => Promise<readonly string[]> | readonly string[];
  /** Base64 SPKI DER from `AsymmetricSigningPublicKey` of `GET /api/v4/config/client?format=old`. */
  readonly fetchPublicKey: () => Promise<string | undefined>;
  /** Read with the bot token; a 404 (isNotFound) or undefined means the user does not exist. */
  readonly getUser: (userId: string) => Promise<CallerRecord | undefined>;
  readonly getUserGroupNames: (userId: string) => Promise<readonly string[]>;
  readonly access: {readonly allowedUsers: readonly string[]; readonly allowedGroups: readonly string[]};
  readonly clock: Clock;
  /** Defaults to Mattermost's outgoing integration timeout, 30 s. */
  readonly maxTriggerAgeMs?: number;
}

export interface CommandRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly form: Readonly<Record<string, unknown>>;
}

export interface AuthorizedUser {
  readonly userId: string;
  readonly username: string;
  readonly roles: string[];
  readonly isSystemAdmin: boolean;
}

export interface VerifiedCaller extends AuthorizedUser {
  readonly teamId: string;
  readonly channelId: string;
  readonly text: string;
  readonly triggerId: string;
}

export interface TriggerClaims {
  readonly clientTriggerId: string;
  readonly userId: string;
  /** Milliseconds since the epoch, when Mattermost minted it. */
  readonly issuedAt: number;
}

export interface CommandVerifier {
  verify(request: CommandRequest): Promise<VerifiedCaller>;
  /** Step 4 alone, for dialog submissions and button clicks whose user id Mattermost stamped. */
  authorize(userId: string): Promise<AuthorizedUser>;
}

export const DEFAULT_MAX_TRIGGER_AGE_MS = 30_000;
/** Clock skew tolerated between Mattermost and this service. */
export const MAX_TRIGGER_FUTURE_MS = 5_000;
export const MAX_COMMAND_TEXT_BYTES = 16 * 1024;
const MAX_TOKEN_CHARS = 512;
const MAX_TRIGGER_CHARS = 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const TRIGGER_PART = /^[A-Za-z0-9]{1,64}$/;

/** Mattermost ids (`model.NewId`): 26 lowercase base32 characters. */
const mattermostId = z.string().regex(/^[a-z0-9]{26}$/, 'must be a Mattermost id');
const formSchema = z.object({
  user_id: mattermostId,
  team_id: mattermostId,
  channel_id: mattermostId,
  command: z.string().regex(/^\/[^\s/]{1,64}$/, 'must be a slash command'),
  text: z.string().refine((t) => Buffer.byteLength(t, 'utf8') <= MAX_COMMAND_TEXT_BYTES,
    `must be at most ${MAX_COMMAND_TEXT_BYTES / 1024} KB`),
  trigger_id: z.string().max(MAX_TRIGGER_CHARS, 'is too long').optional(),
});

export function createCommandVerifier(deps: CommandVerifierDeps): CommandVerifier {
  const maxAgeMs = deps.maxTriggerAgeMs ?? DEFAULT_MAX_TRIGGER_AGE_MS;
  const allowedUsers = new Set(deps.access.allowedUsers.map(normalizeName));
  const allowedGroups = new Set(deps.access.allowedGroups.map(normalizeName));
  let cachedKey: KeyObject | undefined;
  let loading: Promise<KeyObject> | undefined;

  // Concurrent requests share one fetch of the key.
  const loadKey = (): Promise<KeyObject> => {
    loading ??= (async () => {
      try {
        const b64 = await deps.fetchPublicKey();
        if (!b64) {
          throw new ConfigError('Mattermost does not publish AsymmetricSigningPublicKey; cannot verify commands.');
        }
        cachedKey = parsePublicKey(b64);
        return cachedKey;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  };

  const authorize = async (userId: string): Promise<AuthorizedUser> => {
    let user: CallerRecord | undefined;
    try {
      user = await deps.getUser(userId);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!user || user.id !== userId) throw new CommandRefused('unknown_user', 'Your Mattermost account was not found.');
    if (user.delete_at !== 0) throw new CommandRefused('inactive_user', `@${user.username} is deactivated.`);
    if (user.is_bot) throw new CommandRefused('not_allowed', 'Bots may not use /offboard.');
    const roles = user.roles.split(/\s+/).filter(Boolean);
    const isSystemAdmin = roles.includes('system_admin');
    const inAllowedGroup = async (): Promise<boolean> => allowedGroups.size > 0
      && (await deps.getUserGroupNames(userId)).some((g) => allowedGroups.has(normalizeName(g)));
    const allowed = isSystemAdmin || allowedUsers.has(normalizeName(user.username)) || await inAllowedGroup();
    if (!allowed) {
      throw new CommandRefused('not_allowed', `@${user.username} may not use /offboard: it needs a system admin, `
        + 'or a user or group listed under access.allowed_users / access.allowed_groups.');
    }
    return {userId, username: user.username, roles, isSystemAdmin};
  };

  const verify = async (request: CommandRequest): Promise<VerifiedCaller> => {
    // 1. The command token.
    const token = extractToken(request);
    if (!matchesAny(token, await deps.commandTokens())) {
      throw new CommandRefused('bad_token', 'The command token does not match a registered /offboard command.');
    }
    // 2. The form.
    const parsed = formSchema.safeParse(request.form);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'form'} ${i.message}`);
      throw new CommandRefused('malformed_request', `Malformed command request: ${problems.join('; ')}.`);
    }
    const form = parsed.data;
    // 3. The signed trigger_id: Mattermost stamped the user id into it, so it proves who is calling.
    if (!form.trigger_id) throw new CommandRefused('missing_trigger', 'The request carries no trigger_id.');
    const trigger = parseTriggerId(form.trigger_id);
    const hadKey = cachedKey !== undefined;
    let valid = signatureValid(trigger, cachedKey ?? await loadKey());
    if (!valid && hadKey) {
      // The server may have rotated its key since we cached it: fetch it again, once.
      valid = signatureValid(trigger, await loadKey());
    }
    if (!valid) {
      throw new CommandRefused('bad_trigger', 'The trigger_id is not signed by this Mattermost server.');
    }
    checkFreshness(trigger, deps.clock.now(), maxAgeMs);
    if (trigger.claims.userId !== form.user_id) {
      throw new CommandRefused('trigger_user_mismatch', 'The trigger_id was issued to another user.');
    }
    // 4. Access, read fresh with the bot token.
    const caller = await authorize(form.user_id);
    return {...caller, teamId: form.team_id, channelId: form.channel_id, text: form.text, triggerId: form.trigger_id};
  };

  return {verify, authorize};
}

/**
 * Checks a trigger_id the Mattermost way (model.GenerateTriggerId): base64 of `clientTriggerId:userId:millis:` plus the
 * base64 ASN.1 ECDSA-P256/SHA-256 signature over that prefix. Throws CommandRefused; a bad key is a ConfigError.
 */
export function verifyTriggerId(
  triggerId: string, publicKeyB64: string, now: number, maxAgeMs = DEFAULT_MAX_TRIGGER_AGE_MS, expectedUserId?: string,
): TriggerClaims {
  const trigger = parseTriggerId(triggerId);
  if (!signatureValid(trigger, parsePublicKey(publicKeyB64))) {
    throw new CommandRefused('bad_trigger', 'The trigger_id is not signed by this Mattermost server.');
  }
  checkFreshness(trigger, now, maxAgeMs);
  if (expectedUserId !== undefined && trigger.claims.userId !== expectedUserId) {
    throw new CommandRefused('trigger_user_mismatch', 'The trigger_id was issued to another user.');
  }
  return trigger.claims;
}

interface ParsedTrigger {
  readonly claims: TriggerClaims;
  readonly signed: Buffer;
  readonly signature: Buffer;
}

function parseTriggerId(triggerId: string): ParsedTrigger {
  const bad = (): CommandRefused => new CommandRefused('bad_trigger', 'The trigger_id is malformed.');
  if (triggerId.length > MAX_TRIGGER_CHARS || !BASE64.test(triggerId)) throw bad();
  const parts = Buffer.from(triggerId, 'base64').toString('utf8').split(':');
  if (parts.length !== 4) throw bad();
  const [clientTriggerId = '', userId = '', millis = '', signature = ''] = parts;
  if (!TRIGGER_PART.test(clientTriggerId) || !TRIGGER_PART.test(userId) || !/^\d{1,15}$/.test(millis)
    || !BASE64.test(signature)) {
    throw bad();
  }
  return {
    claims: {clientTriggerId, userId, issuedAt: Number(millis)},
    signed: Buffer.from(`${clientTriggerId}:${userId}:${millis}:`, 'utf8'),
    signature: Buffer.from(signature, 'base64'),
  };
}

function signatureValid(trigger: ParsedTrigger, key: KeyObject): boolean {
  try {
    return verifySignature('sha256', trigger.signed, {key, dsaEncoding: 'der'}, trigger.signature);
  } catch {
    return false; // a signature that is not valid DER
  }
}

function checkFreshness(trigger: ParsedTrigger, now: number, maxAgeMs: number): void {
  const age = now - trigger.claims.issuedAt;
  if (age < -MAX_TRIGGER_FUTURE_MS) {
    throw new CommandRefused('stale_trigger', 'The trigger_id is dated in the future; check the server clocks.');
  }
  if (age > maxAgeMs) {
    throw new CommandRefused('stale_trigger',
      `The trigger_id expired (${Math.round(age / 1000)} s old, limit ${Math.round(maxAgeMs / 1000)} s); `
      + 'run the command again.');
  }
}

function parsePublicKey(b64: string): KeyObject {
  let key: KeyObject;
  try {
    if (!BASE64.test(b64)) throw new Error('not base64');
    key = createPublicKey({key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki'});
  } catch {
    throw new ConfigError('AsymmetricSigningPublicKey is not a base64 SPKI public key.');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError('AsymmetricSigningPublicKey is not an ECDSA P-256 key.');
  }
  return key;
}

/** `Authorization: Token <t>` and/or the form's `token`; both present must agree. */
function extractToken(request: CommandRequest): string {
  let header: string | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'authorization' || value === undefined) continue;
    if (typeof value !== 'string' || header !== undefined) {
      throw new CommandRefused('bad_token', 'The request carries more than one Authorization header.');
    }
    header = value;
  }
  // Enterprise "outgoing OAuth connections" replace the header with a Bearer token; the form token still counts.
  const headerToken = header === undefined ? undefined : /^Token\s+(\S+)\s*$/i.exec(header)?.[1];
  const raw = request.form['token'];
  if (raw !== undefined && typeof raw !== 'string') {
    throw new CommandRefused('bad_token', 'The request carries more than one command token.');
  }
  const formToken = raw === '' ? undefined : raw;
  const token = headerToken ?? formToken;
  if (token === undefined) throw new CommandRefused('missing_token', 'The request carries no command token.');
  if (token.length > MAX_TOKEN_CHARS) throw new CommandRefused('bad_token', 'The command token is too long.');
  if (headerToken !== undefined && formToken !== undefined && !safeEqual(headerToken, formToken)) {
    throw new CommandRefused('bad_token', 'The Authorization header and the form carry different command tokens.');
  }
  return token;
}

function matchesAny(token: string, configured: readonly string[]): boolean {
  let match = false;
  for (const candidate of configured) {
    // No early exit: the time taken does not depend on which configured token matched.
    if (candidate !== '' && safeEqual(token, candidate)) match = true;
  }
  return match;
}

/** Constant time and no length leak: compares equal-length SHA-256 digests. */
function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

function normalizeName(name: string): string {
  return name.trim().replace(/^@/, '').toLowerCase();
}
