// Action tokens for dialog state and button context: only what this service minted, for this user, run and purpose,
// before it expires, is accepted.
import {createHmac} from 'node:crypto';
import {describe, expect, it} from '@jest/globals';
import {ConfigError} from '../engine/errors.js';
import {
  type ActionClaims, type ExpectedAction, MAX_ACTION_TOKEN_CHARS, mintActionToken, verifyActionToken,
} from './hmac.js';
import {CommandRefused} from './verify.js';

const SECRET = 'a-very-long-action-secret-for-tests-0123456789';
const NOW = Date.UTC(2025, 0, 1);
const CLAIMS: ActionClaims = {
  userId: 'useraaaaaaaaaaaaaaaaaaaaaa', runId: 'runaaaaaaaaaaaaaaaaaaaaaaa', purpose: 'approve', exp: NOW + 60_000,
};
const EXPECTED: ExpectedAction = {userId: CLAIMS.userId, runId: CLAIMS.runId, purpose: 'approve', now: NOW};

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CommandRefused) return e.reason;
    throw e;
  }
  return 'accepted';
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

describe('action tokens', () => {
  it('round-trips the claims', () => {
    const token = mintActionToken(SECRET, CLAIMS);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyActionToken(SECRET, token, EXPECTED)).toEqual(CLAIMS);
  });

  it('accepts a token without a run when none is expected, and leaves unchecked fields alone', () => {
    const token = mintActionToken(SECRET, {...CLAIMS, runId: null, purpose: 'dialog:someone'});
    const expected = {userId: CLAIMS.userId, runId: null, purpose: 'dialog:someone', now: NOW};
    expect(verifyActionToken(SECRET, token, expected).runId).toBeNull();
    expect(verifyActionToken(SECRET, token, {now: NOW}).purpose).toBe('dialog:someone');
  });

  it('refuses a token signed with another secret', () => {
    const forged = mintActionToken('another-secret-of-enough-length', CLAIMS);
    expect(reason(() => verifyActionToken(SECRET, forged, EXPECTED))).toBe('bad_signature');
  });

  it('refuses a token signed without the domain prefix (a plain HMAC of the payload)', () => {
    const payload = b64url(JSON.stringify(CLAIMS));
    const plain = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(reason(() => verifyActionToken(SECRET, `${payload}.${plain}`, EXPECTED))).toBe('bad_signature');
  });

  it('refuses tampered claims', () => {
    const [, signature] = mintActionToken(SECRET, CLAIMS).split('.');
    const longer = b64url(JSON.stringify({...CLAIMS, exp: NOW + 10 * 365 * 86_400_000}));
    expect(reason(() => verifyActionToken(SECRET, `${longer}.${signature}`, EXPECTED))).toBe('bad_signature');
    const otherUser = b64url(JSON.stringify({...CLAIMS, userId: 'intruderaaaaaaaaaaaaaaaaaa'}));
    expect(reason(() => verifyActionToken(SECRET, `${otherUser}.${signature}`, EXPECTED))).toBe('bad_signature');
  });

  it('refuses an expired token', () => {
    const token = mintActionToken(SECRET, CLAIMS);
    expect(reason(() => verifyActionToken(SECRET, token, {...EXPECTED, now: CLAIMS.exp - 1}))).toBe('accepted');
    expect(reason(() => verifyActionToken(SECRET, token, {...EXPECTED, now: CLAIMS.exp}))).toBe('expired');
  });

  it('refuses a token of another user, run or purpose', () => {
    const token = mintActionToken(SECRET, CLAIMS);
    expect(reason(() => verifyActionToken(SECRET, token, {...EXPECTED, userId: 'otheraaaaaaaaaaaaaaaaaaaaa'})))
      .toBe('wrong_user');
    expect(reason(() => verifyActionToken(SECRET, token, {...EXPECTED, runId: 'run2aaaaaaaaaaaaaaaaaaaaaa'})))
      .toBe('wrong_run');
    expect(reason(() => verifyActionToken(SECRET, token, {...EXPECTED, runId: null}))).toBe('wrong_run');
    expect(reason(() => verifyActionToken(SECRET, token, {...EXPECTED, purpose: 'cancel'}))).toBe('wrong_purpose');
  });

  it('refuses malformed tokens', () => {
    const token = mintActionToken(SECRET, CLAIMS);
    for (const bad of ['', 'abc', `${token}.x`, 'a b.c', `${'a'.repeat(MAX_ACTION_TOKEN_CHARS)}.b`]) {
      expect(reason(() => verifyActionToken(SECRET, bad, EXPECTED))).toBe('malformed_request');
    }
    // Correctly signed, but not the claims shape: only possible with the secret, still refused.
    const payload = b64url('{"userId":1}');
    const mac = createHmac('sha256', SECRET).update('offboarding-action-token:v1:').update(payload).digest('base64url');
    expect(reason(() => verifyActionToken(SECRET, `${payload}.${mac}`, EXPECTED))).toBe('malformed_request');
  });

  it('refuses a non-canonical spelling of the signature', () => {
    const [payload, signature = ''] = mintActionToken(SECRET, CLAIMS).split('.');
    // 43 base64url characters carry 258 bits; flipping the 2 spare bits decodes to the same 32 bytes.
    const last = signature.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    const variant = `${payload}.${signature.slice(0, -1)}${twin}`;
    expect(Buffer.from(variant.split('.')[1] ?? '', 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(reason(() => verifyActionToken(SECRET, variant, EXPECTED))).toBe('bad_signature');
  });

  it('needs a real secret and sane claims to mint', () => {
    expect(() => mintActionToken('short', CLAIMS)).toThrow(ConfigError);
    expect(() => verifyActionToken('', 'a.b', EXPECTED)).toThrow(ConfigError);
    expect(() => mintActionToken(SECRET, {...CLAIMS, purpose: ''})).toThrow('Invalid action token claims');
    expect(() => mintActionToken(SECRET, {...CLAIMS, exp: 1.5})).toThrow('Invalid action token claims');
  });

  it('never mints a token it would refuse for its size', () => {
    const big = mintActionToken(SECRET, {...CLAIMS, purpose: 'p'.repeat(500), userId: 'u'.repeat(200)});
    expect(verifyActionToken(SECRET, big, {now: NOW}).purpose).toHaveLength(500);
    // Control characters are escaped six bytes each in JSON, pushing the token past the bound.
    expect(() => mintActionToken(SECRET, {...CLAIMS, purpose: '\u0001'.repeat(500)})).toThrow(/exceed 2048/);
  });
});
