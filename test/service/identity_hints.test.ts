// Identities an admin enters in the modal, through the real RPC path: capabilities says which systems take them and
// how, inventory.start resolves exactly them (other systems as before), bad input is refused before anything exists,
// and the run's audit trail names what the admin entered.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {ENTERED_BY_ADMIN} from '../../server/src/engine/types.js';
import {awsProvider} from '../../server/src/providers/aws/index.js';
import {mattermostProvider} from '../../server/src/providers/mattermost/index.js';
import {type Harness, startHarness, waitFor} from '../support/service_harness.js';

let h: Harness;
beforeAll(async () => {
  // The executor is off: the run stays where it starts, which is all the audit check needs.
  h = await startHarness({aws: true, execute: false, providers: [mattermostProvider, awsProvider]});
});
afterAll(async () => { await h.close(); });

const ok = (props: any) => {
  if (!props.ok) throw new Error(`expected ok, got ${JSON.stringify(props.error)}`);
  return props.result;
};

async function finished(identities?: Record<string, string[]>) {
  const {inventory_id} = ok(await h.rpc('inventory.start', {user_id: h.seed.subject.userId,
    ...(identities ? {identities} : {})}));
  const view = await waitFor(async () => {
    const r = ok(await h.rpc('inventory.get', {inventory_id}));
    return r.inventory.done ? r.inventory : undefined;
  });
  return {inventory_id, view, of: (id: string) => view.providers.find((p: any) => p.id === id)};
}

describe('capabilities', () => {
  it('tells the modal which systems take an entered identity, and what it is called there', async () => {
    const {providers} = ok(await h.rpc('capabilities', {}));
    expect(providers.map((p: any) => [p.id, p.identity_input])).toEqual([
      ['mattermost', null],
      ['aws', {label: 'IAM user name', placeholder: 'dana.whitfield', pattern: awsProvider.identityInput?.pattern, max_ids: 20}],
    ]);
  });
});

describe('inventory.start with entered identities', () => {
  it('resolves exactly the entered IAM user names in AWS and Mattermost as before', async () => {
    const automatic = await finished();
    expect(automatic.of('aws').identities.filter((i: any) => i.id.startsWith('iam:')).map((i: any) => i.id))
      .toEqual(['iam:200000000001:dana', 'iam:200000000002:dana.admin', 'iam:200000000003:dana@example.com']);
    const entered = await finished({aws: [' dana.admin ', 'DANA.ADMIN', 'dana-old']});
    expect(entered.of('aws').identities.filter((i: any) => i.id.startsWith('iam:'))).toEqual([
      {id: 'iam:200000000002:dana.admin', label: expect.stringContaining('dana.admin'), source: ENTERED_BY_ADMIN,
        confidence: 'exact'},
      {id: 'iam:*:dana-old', label: expect.stringContaining('dana-old'), source: expect.stringMatching(/^entered by admin: /),
        confidence: 'not_found'},
    ]);
    expect(entered.of('mattermost').identities).toEqual([expect.objectContaining({source: 'Mattermost account',
      confidence: 'exact'})]);
    expect(entered.of('aws').counts.iam_user).toBe(1);
  });

  it('refuses unknown and non-editable systems, too many, empty, long and malformed ids, and starts nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{vault: ['dana']}, 'identities.vault', /Unknown system "vault"/],
      [{mattermost: ['dana']}, 'identities.mattermost', /Mattermost identities cannot be entered/],
      [{aws: ['dana bad']}, 'identities.aws', /"dana bad" is not a valid IAM user name/],
    ];
    for (const [identities, field, message] of cases) {
      const props = await h.rpc('inventory.start', {user_id: h.seed.subject.userId, identities});
      expect(props.error).toEqual({code: 'bad_request', message: expect.stringMatching(message), field});
      expect(h.service.deps.background.size).toBe(0);
    }
    const schema: Record<string, unknown>[] = [
      {aws: Array.from({length: 21}, (_, i) => `user-${i}`)}, {aws: ['  ']}, {aws: ['x'.repeat(129)]}, {aws: 'dana'},
    ];
    const messages = [];
    for (const identities of schema) {
      const props = await h.rpc('inventory.start', {user_id: h.seed.subject.userId, identities});
      expect(props.error.code).toBe('bad_request');
      messages.push(props.error.message);
      expect(h.service.deps.background.size).toBe(0);
    }
    expect(messages.slice(0, 3)).toEqual([expect.stringMatching(/at most 20 identities per system/),
      expect.stringMatching(/an entered identity is empty/), expect.stringMatching(/longer than 128 characters/)]);
    const tooMany = await h.rpc('inventory.start', {user_id: h.seed.subject.userId, identities: schema[0]});
    expect(tooMany.error.field).toBe('identities.aws');
  });
});

describe('the audit trail', () => {
  it('records who the admin said the person is, when the run starts', async () => {
    const {inventory_id} = await finished({aws: ['dana.admin']});
    const plan = ok(await h.rpc('plan.create', {inventory_id}));
    const users = new Set(plan.steps.filter((s: any) => s.provider === 'aws' && s.action === 'delete_login_profile')
      .map((s: any) => s.target));
    expect(users).toEqual(new Set(['200000000002:dana.admin']));
    const {run} = ok(await h.rpc('run.start', {plan_id: plan.plan_id, confirm_username: 'dana'}));
    const events = await h.service.deps.store.listAudit(run.id);
    const created = events.filter((e) => e.action === 'run.created');
    expect(created).toEqual([expect.objectContaining({actor: h.seed.adminUserId, target: run.id})]);
    expect(created[0]?.evidence['enteredIdentities']).toEqual({aws: {entered_by: h.seed.adminUserId, inventory_id,
      identities: [{id: 'iam:200000000002:dana.admin', label: expect.any(String), confidence: 'exact',
        source: ENTERED_BY_ADMIN}]}});
    ok(await h.rpc('run.act', {run_id: run.id, action: 'cancel'}));
  });
});
