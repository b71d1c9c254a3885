// Command verification with trigger_ids minted the way Mattermost mints them (model.GenerateTriggerId): every refusal
// has its reason, and only a fresh, correctly signed request from a permitted, active person gets through.
import {generateKeyPairSync, type KeyObject, randomBytes, sign} from 'node:crypto';
import {beforeEach, describe, expect, it} from '@jest/globals';
import {ConfigError, TransientError} from '../engine/errors.js';
import type {Clock} from '../engine/types.js';
import {MattermostApiError} from './client.js';
import {
  type CallerRecord, CommandRefused, type CommandRequest, type CommandVerifierDeps, createCommandVerifier,
  type RefusalReason, verifyTriggerId,
} from './verify.js';

const NOW = Date.UTC(2025, 0, 1, 12);
const TOKEN = 'cmdtoken1234567890abcdefgh';
const OTHER_TEAM_TOKEN = 'cmdtokenzyxwvutsrqponmlkji';
const TEAM = 'teamaaaaaaaaaaaaaaaaaaaaaa';
const CHANNEL = 'chanaaaaaaaaaaaaaaaaaaaaaa';
const ADMIN = 'adminaaaaaaaaaaaaaaaaaaaaa';
const MEMBER = 'memberaaaaaaaaaaaaaaaaaaaa';
const LISTED = 'listedaaaaaaaaaaaaaaaaaaaa';
const GROUPED = 'groupedaaaaaaaaaaaaaaaaaaa';
const RETIRED = 'retiredaaaaaaaaaaaaaaaaaaa';
const ROBOT = 'robotaaaaaaaaaaaaaaaaaaaaa';
const GHOST = 'ghostaaaaaaaaaaaaaaaaaaaaa';

const USERS: Record<string, CallerRecord> = {
  [ADMIN]: {id: ADMIN, username: 'alice', roles: 'system_user system_admin', delete_at: 0},
  [MEMBER]: {id: MEMBER, username: 'bob', roles: 'system_user', delete_at: 0},
  [LISTED]: {id: LISTED, username: 'Carol', roles: 'system_user', delete_at: 0},
  [GROUPED]: {id: GROUPED, username: 'dave', roles: 'system_user', delete_at: 0},
  [RETIRED]: {id: RETIRED, username: 'erin', roles: 'system_user system_admin', delete_at: NOW - 1000},
  [ROBOT]: {id: ROBOT, username: 'robot', roles: 'system_user system_admin', delete_at: 0, is_bot: true},
};
const GROUPS: Record<string, string[]> = {[GROUPED]: ['engineering', 'it-admins'], [MEMBER]: ['engineering']};

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicB64: string;
}

function keyPair(): KeyPair {
  const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
  return {privateKey, publicB64: publicKey.export({format: 'der', type: 'spki'}).toString('base64')};
}

function newId(): string {
  return randomBytes(20).toString('hex').slice(0, 26);
}

/** base64("clientTriggerId:userId:millis:" + base64(DER ECDSA signature over that prefix)). */
function mintTrigger(userId: string, millis: number, key: KeyObject): string {
  const data = `${newId()}:${userId}:${millis}:`;
  const signature = sign('sha256', Buffer.from(data), key).toString('base64');
  return Buffer.from(data + signature).toString('base64');
}

const serverKey = keyPair();
const attackerKey = keyPair();

class FixedClock implements Clock {
  t = NOW;
  now(): number {
    return this.t;
  }
  async sleep(): Promise<void> {}
}

let clock: FixedClock;
let publishedKey: string;
let keyFetches: number;
let groupLookups: number;

function deps(overrides: Partial<CommandVerifierDeps> = {}): CommandVerifierDeps {
  return {
    commandTokens: async () => [TOKEN, OTHER_TEAM_TOKEN],
    fetchPublicKey: async () => {
      keyFetches++;
      return publishedKey;
    },
    getUser: async (userId) => {
      const user = USERS[userId];
      if (!user) throw new MattermostApiError('Mattermost 404', {status: 404, route: 'GET /api/v4/users/{user_id}'});
      return user;
    },
    getUserGroupNames: async (userId) => {
      groupLookups++;
      return GROUPS[userId] ?? [];
    },
    access: {allowedUsers: ['@carol'], allowedGroups: ['IT-Admins']},
    clock,
    ...overrides,
  };
}

function request(userId: string, opts: {
  trigger?: string | null; header?: string | null; formToken?: string | null; text?: string; form?: Record<string, unknown>;
} = {}): CommandRequest {
  const trigger = opts.trigger === undefined ? mintTrigger(userId, clock.now() - 200, serverKey.privateKey) : opts.trigger;
  const form: Record<string, unknown> = {
    team_id: TEAM, team_domain: 'acme', channel_id: CHANNEL, channel_name: 'town-square', user_id: userId,
    user_name: 'someone', command: '/offboard', text: opts.text ?? 'rpc capabilities e30',
    response_url: 'http://mm/hooks/commands/x', ...opts.form,
  };
  if (trigger !== null) form['trigger_id'] = trigger;
  const formToken = opts.formToken === undefined ? TOKEN : opts.formToken;
  if (formToken !== null) form['token'] = formToken;
  const header = opts.header === undefined ? `Token ${TOKEN}` : opts.header;
  return {headers: header === null ? {} : {authorization: header}, form};
}

async function refusal(p: Promise<unknown>): Promise<CommandRefused> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CommandRefused) {
      expect(e.message).not.toContain(TOKEN);
      return e;
    }
    throw e;
  }
  throw new Error('expected a refusal');
}

async function expectRefused(p: Promise<unknown>, reason: RefusalReason): Promise<void> {
  expect((await refusal(p)).reason).toBe(reason);
}

beforeEach(() => {
  clock = new FixedClock();
  publishedKey = serverKey.publicB64;
  keyFetches = 0;
  groupLookups = 0;
});

describe('command verification', () => {
  it('lets a system admin through with what the handlers need', async () => {
    const trigger = mintTrigger(ADMIN, NOW - 1000, serverKey.privateKey);
    const caller = await createCommandVerifier(deps()).verify(request(ADMIN, {trigger}));
    expect(caller).toEqual({
      userId: ADMIN, username: 'alice', roles: ['system_user', 'system_admin'], isSystemAdmin: true,
      teamId: TEAM, channelId: CHANNEL, text: 'rpc capabilities e30', triggerId: trigger,
    });
    expect(groupLookups).toBe(0);
  });

  it('accepts the token from the header alone, the form alone, or any configured team', async () => {
    const v = createCommandVerifier(deps());
    await expect(v.verify(request(ADMIN, {formToken: null}))).resolves.toMatchObject({userId: ADMIN});
    await expect(v.verify(request(ADMIN, {header: null}))).resolves.toMatchObject({userId: ADMIN});
    await expect(v.verify(request(ADMIN, {header: `Token ${OTHER_TEAM_TOKEN}`, formToken: OTHER_TEAM_TOKEN})))
      .resolves.toMatchObject({userId: ADMIN});
  });

  it('refuses a request without a token', async () => {
    await expectRefused(createCommandVerifier(deps()).verify(request(ADMIN, {header: null, formToken: null})),
      'missing_token');
  });

  it('refuses a wrong token, also before looking at a malformed form', async () => {
    const v = createCommandVerifier(deps());
    await expectRefused(v.verify(request(ADMIN, {header: 'Token nope', formToken: 'nope'})), 'bad_token');
    await expectRefused(v.verify(request(ADMIN, {header: `Token ${TOKEN}x`, formToken: null})), 'bad_token');
    await expectRefused(v.verify(request('x', {header: 'Token nope', formToken: null})), 'bad_token');
    await expectRefused(createCommandVerifier(deps({commandTokens: () => []})).verify(request(ADMIN)), 'bad_token');
  });

  it('refuses a header token that differs from the form token', async () => {
    await expectRefused(
      createCommandVerifier(deps()).verify(request(ADMIN, {header: `Token ${OTHER_TEAM_TOKEN}`, formToken: TOKEN})),
      'bad_token');
  });

  it('refuses malformed forms and oversized text', async () => {
    const v = createCommandVerifier(deps());
    await expectRefused(v.verify(request(ADMIN, {text: 'x'.repeat(16 * 1024 + 1)})), 'malformed_request');
    await expect(v.verify(request(ADMIN, {text: 'x'.repeat(16 * 1024)}))).resolves.toMatchObject({userId: ADMIN});
    await expectRefused(v.verify(request(ADMIN, {form: {channel_id: 'not-an-id'}})), 'malformed_request');
    await expectRefused(v.verify(request(ADMIN, {form: {text: undefined}})), 'malformed_request');
  });

  it('refuses a missing or garbled trigger_id', async () => {
    const v = createCommandVerifier(deps());
    await expectRefused(v.verify(request(ADMIN, {trigger: null})), 'missing_trigger');
    await expectRefused(v.verify(request(ADMIN, {trigger: 'not base64!'})), 'bad_trigger');
    await expectRefused(v.verify(request(ADMIN, {trigger: Buffer.from('a:b:c').toString('base64')})), 'bad_trigger');
  });

  it('refuses a trigger_id signed by another key', async () => {
    const trigger = mintTrigger(ADMIN, NOW - 100, attackerKey.privateKey);
    await expectRefused(createCommandVerifier(deps()).verify(request(ADMIN, {trigger})), 'bad_trigger');
  });

  it('refuses a trigger_id whose user id was changed after signing', async () => {
    const genuine = Buffer.from(mintTrigger(MEMBER, NOW - 100, serverKey.privateKey), 'base64').toString();
    const [cid, , millis, sig] = genuine.split(':');
    const tampered = Buffer.from(`${cid}:${ADMIN}:${millis}:${sig}`).toString('base64');
    await expectRefused(createCommandVerifier(deps()).verify(request(ADMIN, {trigger: tampered})), 'bad_trigger');
  });

  it('refuses an expired trigger_id and one from the future', async () => {
    const v = createCommandVerifier(deps());
    await expectRefused(v.verify(request(ADMIN, {trigger: mintTrigger(ADMIN, NOW - 30_001, serverKey.privateKey)})),
      'stale_trigger');
    await expectRefused(v.verify(request(ADMIN, {trigger: mintTrigger(ADMIN, NOW + 5_001, serverKey.privateKey)})),
      'stale_trigger');
    await expect(v.verify(request(ADMIN, {trigger: mintTrigger(ADMIN, NOW + 4_000, serverKey.privateKey)})))
      .resolves.toMatchObject({userId: ADMIN});
    const strict = createCommandVerifier(deps({maxTriggerAgeMs: 1000}));
    await expectRefused(strict.verify(request(ADMIN, {trigger: mintTrigger(ADMIN, NOW - 1001, serverKey.privateKey)})),
      'stale_trigger');
  });

  it('refuses a trigger_id issued to another user', async () => {
    const trigger = mintTrigger(MEMBER, NOW - 100, serverKey.privateKey);
    await expectRefused(createCommandVerifier(deps()).verify(request(ADMIN, {trigger})), 'trigger_user_mismatch');
  });

  it('refuses unknown, deactivated and bot callers', async () => {
    const v = createCommandVerifier(deps());
    await expectRefused(v.verify(request(GHOST)), 'unknown_user');
    await expectRefused(createCommandVerifier(deps({getUser: async () => undefined})).verify(request(ADMIN)),
      'unknown_user');
    await expectRefused(v.verify(request(RETIRED)), 'inactive_user');
    await expectRefused(v.verify(request(ROBOT)), 'not_allowed');
  });

  it('refuses a plain member, even one in a group that is not allowed', async () => {
    const e = await refusal(createCommandVerifier(deps()).verify(request(MEMBER)));
    expect(e.reason).toBe('not_allowed');
    expect(e.message).toContain('@bob may not use /offboard');
    expect(groupLookups).toBe(1);
  });

  it('allows a user listed in allowedUsers (case and @ ignored) and a member of an allowed group', async () => {
    const v = createCommandVerifier(deps());
    await expect(v.verify(request(LISTED))).resolves.toMatchObject({username: 'Carol', isSystemAdmin: false});
    await expect(v.verify(request(GROUPED))).resolves.toMatchObject({username: 'dave', isSystemAdmin: false});
  });

  it('passes on failures to read the caller instead of refusing', async () => {
    const failing = deps({getUser: async () => {
      throw new TransientError('Mattermost 503');
    }});
    await expect(createCommandVerifier(failing).verify(request(ADMIN))).rejects.toBeInstanceOf(TransientError);
  });

  it('refetches the public key once when the server rotated it', async () => {
    const v = createCommandVerifier(deps());
    await v.verify(request(ADMIN));
    expect(keyFetches).toBe(1);

    const rotated = keyPair();
    publishedKey = rotated.publicB64;
    await v.verify(request(ADMIN, {trigger: mintTrigger(ADMIN, NOW, rotated.privateKey)}));
    expect(keyFetches).toBe(2);
    await v.verify(request(ADMIN, {trigger: mintTrigger(ADMIN, NOW, rotated.privateKey)}));
    expect(keyFetches).toBe(2);

    await expectRefused(v.verify(request(ADMIN, {trigger: mintTrigger(ADMIN, NOW, attackerKey.privateKey)})),
      'bad_trigger');
    expect(keyFetches).toBe(3);
  });

  it('fails clearly when the server publishes no usable key', async () => {
    await expect(createCommandVerifier(deps({fetchPublicKey: async () => undefined})).verify(request(ADMIN)))
      .rejects.toBeInstanceOf(ConfigError);
    const rsa = generateKeyPairSync('rsa', {modulusLength: 2048}).publicKey.export({format: 'der', type: 'spki'});
    await expect(createCommandVerifier(deps({fetchPublicKey: async () => rsa.toString('base64')})).verify(request(ADMIN)))
      .rejects.toThrow('not an ECDSA P-256 key');
  });

  it('authorize() applies the role check alone', async () => {
    const v = createCommandVerifier(deps());
    await expect(v.authorize(GROUPED)).resolves.toEqual({
      userId: GROUPED, username: 'dave', roles: ['system_user'], isSystemAdmin: false,
    });
    await expectRefused(v.authorize(MEMBER), 'not_allowed');
  });
});

describe('verifyTriggerId', () => {
  it('returns the signed claims', () => {
    const trigger = mintTrigger(MEMBER, NOW - 10, serverKey.privateKey);
    const claims = verifyTriggerId(trigger, serverKey.publicB64, NOW, 30_000, MEMBER);
    expect(claims.userId).toBe(MEMBER);
    expect(claims.issuedAt).toBe(NOW - 10);
    expect(claims.clientTriggerId).toHaveLength(26);
  });

  it('refuses the wrong key, age and user', () => {
    const trigger = mintTrigger(MEMBER, NOW - 10, serverKey.privateKey);
    const reason = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return (e as CommandRefused).reason;
      }
      return 'accepted';
    };
    expect(reason(() => verifyTriggerId(trigger, attackerKey.publicB64, NOW))).toBe('bad_trigger');
    expect(reason(() => verifyTriggerId(trigger, serverKey.publicB64, NOW + 60_000))).toBe('stale_trigger');
    expect(reason(() => verifyTriggerId(trigger, serverKey.publicB64, NOW, 30_000, ADMIN))).toBe('trigger_user_mismatch');
    expect(reason(() => verifyTriggerId(trigger, serverKey.publicB64, NOW))).toBe('accepted');
  });
});
