// Failure paths against the simulator: throttling (absorbed by the SDK's retries, else transient), an account whose
// role cannot be assumed (found at resolve time, or at run time under the real Executor: its steps fail with the
// reason while the other accounts finish), DeleteConflict after a complete teardown, AccessDenied, pagination,
// ambiguous and explicitly mapped users.
import {describe, expect, it} from '@jest/globals';
import {AwsSimError} from '../../../../test/aws_sim/index.js';
import {isPermanent, isTransient, PermanentError} from '../../engine/errors.js';
import {createRun} from '../../engine/actions.js';
import {Executor} from '../../engine/executor.js';
import {MemoryRunStore} from '../../engine/testing/memory_store.js';
import {systemClock} from '../../clock.js';
import type {StepSpec} from '../../engine/types.js';
import {awsProvider} from './index.js';
import {CONTAIN_POLICY_NAME} from './model.js';
import {
  DANA_SUBJECT, executeAll, inventory, kinds, planFor, silentLog, startFixture,
} from './test_support.js';
import {perTestFixtures} from '../../../../test/support/per_test.js';

const fixture = perTestFixtures(startFixture);

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

const SMALL = {personAccounts: 2, identityCenter: false, ownedAccounts: 0, serviceKeys: 0} as const;

describe('aws provider: throttling', () => {
  it('lets the SDK retry a short throttling burst, and reports a lasting one as transient', async () => {
    const {sim, ctx} = await fixture(SMALL);
    const c = ctx();
    const step = planFor(await inventory(c)).find((s) => s.action === 'delete_login_profile') as StepSpec;
    sim.failNext({count: 1, service: 'iam', action: 'DeleteLoginProfile', error: 'throttle'});
    expect((await awsProvider.execute(c, step)).kind).toBe('done');
    expect(sim.count('iam:DeleteLoginProfile')).toBe(2);
    const next = planFor(await inventory(c)).find((s) => s.action === 'remove_from_group') as StepSpec;
    sim.failNext({count: 5, service: 'iam', action: 'RemoveUserFromGroup', error: 'throttle'});
    const e = await thrown(awsProvider.execute(c, next));
    expect(isTransient(e)).toBe(true);
    expect(String((e as Error).message)).toContain('throttled');
  });
});

describe('aws provider: unreachable accounts', () => {
  it('reports an account whose role cannot be assumed and plans the others', async () => {
    const {sim, ctx} = await fixture(SMALL);
    sim.breakRole('200000000002');
    const inv = await inventory(ctx());
    const unchecked = inv.identities.find((i) => i.id === 'account:200000000002');
    expect(unchecked).toMatchObject({confidence: 'not_found'});
    expect(unchecked?.source).toContain('AccessDenied');
    expect(inv.identities.filter((i) => i.confidence === 'exact').map((i) => i.id))
      .toEqual(['iam:200000000001:dana', 'org:100000000000']);
    const steps = planFor(inv);
    expect(steps.find((s) => s.id === 'aws:review_account:200000000002:iam')).toMatchObject({kind: 'manual'});
    expect(steps.some((s) => s.id === 'aws:delete_user:200000000001:dana')).toBe(true);
  });

  it('asks for a manual check when Identity Center cannot be searched', async () => {
    const {sim, ctx} = await fixture({personAccounts: 1});
    sim.deny('100000000000', 'identitystore:GetUserId');
    const inv = await inventory(ctx());
    expect(inv.identities.find((i) => i.id === 'sso:?')).toMatchObject({confidence: 'not_found',
      source: expect.stringContaining('identitystore:GetUserId')});
    expect(planFor(inv).find((s) => s.id === 'aws:review_account:100000000000:identity-center')?.kind).toBe('manual');
  });

  it('reuses assumed-role credentials, and assumes again shortly before they expire', async () => {
    let offset = 0;
    const now = () => Date.now() + offset;
    const {sim, ctx} = await fixture(SMALL, {now});
    const c = {...ctx({session_duration_seconds: 900}), clock: {now,
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms))}};
    const step = planFor(await inventory(c)).find((s) => s.id === 'aws:deny_user:200000000001:dana') as StepSpec;
    const assumed = sim.count('sts:AssumeRole');
    expect((await awsProvider.verify(c, step)).ok).toBe(false);
    expect(sim.count('sts:AssumeRole')).toBe(assumed);
    offset = 11 * 60_000;
    expect((await awsProvider.verify(c, step)).ok).toBe(false);
    expect(sim.count('sts:AssumeRole')).toBe(assumed + 1);
  });

  it('fails the steps of an account that became unreachable and finishes the others (real Executor)', async () => {
    const {sim, ctx} = await fixture(SMALL);
    const c = ctx();
    const steps = planFor(await inventory(c));
    sim.breakRole('200000000002');
    sim.revokeSessions();
    const store = new MemoryRunStore();
    const run = await createRun(store, systemClock, {id: 'r1', subject: DANA_SUBJECT, initiatorId: 'admin',
      planId: null, steps, options: {}, requireApproval: false});
    const executor = new Executor({store, providers: new Map([['aws', awsProvider]]), contexts: () => c,
      clock: systemClock, log: silentLog, owner: 'test', leaseMs: 30_000, pollMs: 5});
    for (let i = 0; i < 2000; i++) {
      await executor.tick();
      await executor.idle();
      const r = await store.getRun(run.id);
      if (r?.status !== 'running') break;
    }
    expect((await store.getRun(run.id))?.status).toBe('completed_with_errors');
    const states = await store.listSteps(run.id);
    const of = (account: string) => states.filter((s) => s.target.startsWith(`${account}:`));
    expect(new Set(of('200000000001').map((s) => s.state))).toEqual(new Set(['done']));
    const broken = of('200000000002');
    expect(new Set(broken.filter((s) => s.phase !== 'cleanup').map((s) => s.state))).toEqual(new Set(['failed']));
    expect(broken.find((s) => s.action === 'delete_user')?.state).toBe('skipped');
    expect(broken.find((s) => s.action === 'deny_user')?.error)
      .toMatch(/Account 200000000002 is unreachable: cannot assume .*OrganizationAccountAccessRole.*AccessDenied/);
  });
});

describe('aws provider: DeleteUser', () => {
  it('refuses when a dependent appeared after planning, names it and keeps the user contained', async () => {
    const {sim, ctx} = await fixture(SMALL);
    const c = ctx();
    const steps = planFor(await inventory(c));
    const rest = steps.filter((s) => s.action !== 'delete_user');
    await executeAll(c, rest);
    const late = sim.createAccessKey('200000000001', 'dana');
    const del = steps.find((s) => s.id === 'aws:delete_user:200000000001:dana') as StepSpec;
    const e = await thrown(awsProvider.execute(c, del));
    expect(isPermanent(e)).toBe(true);
    expect((e as Error).message).toContain(`access keys ${late.accessKeyId}`);
    expect((e as PermanentError).details).toMatchObject({remaining: [`access keys ${late.accessKeyId}`]});
    expect(sim.state.user('200000000001', 'dana')?.inlinePolicies.has(CONTAIN_POLICY_NAME)).toBe(true);
  });

  it('puts containment back when DeleteUser itself answers DeleteConflict, and names what is left', async () => {
    const {sim, ctx} = await fixture(SMALL);
    const c = ctx();
    const steps = planFor(await inventory(c));
    await executeAll(c, steps.filter((s) => s.action !== 'delete_user'));
    const del = steps.find((s) => s.id === 'aws:delete_user:200000000001:dana') as StepSpec;
    // A group membership added between the check and DeleteUser: the conflict is real and permanent.
    sim.failNext({count: 1, service: 'iam', action: 'DeleteUser', error: new AwsSimError('DeleteConflict', 409,
      'Cannot delete entity, must remove users from group first.'),
    sideEffect: () => sim.addUserToGroup('200000000001', 'dana', 'late-group')});
    const first = await thrown(awsProvider.execute(c, del));
    expect(isPermanent(first)).toBe(true);
    expect((first as Error).message).toContain('groups late-group');
    sim.state.mustUser('200000000001', 'dana').groups.clear();
    // A conflict with nothing left is IAM's eventual consistency: transient, containment restored meanwhile.
    sim.failNext({count: 1, service: 'iam', action: 'DeleteUser', error: new AwsSimError('DeleteConflict', 409,
      'Cannot delete entity, must delete policies first.')});
    const second = await thrown(awsProvider.execute(c, del));
    expect(isTransient(second)).toBe(true);
    expect(sim.state.user('200000000001', 'dana')?.inlinePolicies.has(CONTAIN_POLICY_NAME)).toBe(true);
    expect((await awsProvider.execute(c, del)).kind).toBe('done');
    expect(sim.state.user('200000000001', 'dana')).toBeUndefined();
  });

  it('names the missing permission on AccessDenied', async () => {
    const {sim, ctx} = await fixture(SMALL);
    const c = ctx();
    const step = planFor(await inventory(c)).find((s) => s.action === 'delete_login_profile') as StepSpec;
    sim.deny(step.params['account_id'] as string, 'iam:DeleteLoginProfile');
    const e = await thrown(awsProvider.execute(c, step));
    expect(isPermanent(e)).toBe(true);
    expect((e as PermanentError).details).toMatchObject({permission: 'iam:DeleteLoginProfile', aws_code: 'AccessDenied'});
  });
});

describe('aws provider: resolution and pagination', () => {
  it('finds the same things when every page holds one item', async () => {
    const wide = await fixture();
    const expected = await inventory(wide.ctx());
    const narrow = await fixture({}, {pageCap: 1});
    const got = await inventory(narrow.ctx());
    expect(got.findings.map((f) => f.id).sort()).toEqual(expected.findings.map((f) => f.id).sort());
    expect(narrow.sim.count('organizations:ListAccounts')).toBeGreaterThanOrEqual(7);
    expect(new Set(Object.values(kinds(await executeAll(narrow.ctx(), planFor(got)))))).toEqual(new Set(['done']));
  });

  it('fails resolve with the reason when a later ListAccounts page fails while earlier accounts are being searched',
    async () => {
      const {sim, ctx} = await fixture(SMALL, {pageCap: 1});
      const denied = new AwsSimError('AccessDeniedException', 400, 'You are not authorized to list accounts.');
      // The first account's search (after page 1) arms the failure of the pages still to come.
      sim.failNext({count: 1, service: 'iam', action: 'GetAccountAuthorizationDetails', error: 'throttle',
        sideEffect: () => sim.failNext({count: 20, service: 'organizations', action: 'ListAccounts', error: denied})});
      const e = await thrown(awsProvider.resolve(ctx(), DANA_SUBJECT));
      expect(String((e as Error).message)).toContain('lacks organizations:ListAccounts');
      expect(sim.count('organizations:ListAccounts')).toBeGreaterThanOrEqual(2);
    });

  it('fails resolve with the reason when the caller identity is unknown, although the pages were listed', async () => {
    const {sim, ctx} = await fixture(SMALL, {pageCap: 1});
    sim.failNext({count: 20, service: 'sts', action: 'GetCallerIdentity',
      error: new AwsSimError('AccessDenied', 403, 'Not allowed to call GetCallerIdentity.')});
    const e = await thrown(awsProvider.resolve(ctx(), DANA_SUBJECT));
    expect(String((e as Error).message)).toContain('AccessDenied');
  });

  it('marks several name matches in one account ambiguous, and lets an explicit mapping decide', async () => {
    const {sim, ctx} = await fixture(SMALL);
    sim.createUser('200000000004', {name: 'dana'});
    sim.createUser('200000000004', {name: 'Dana@Example.com'});
    // Tagged with someone else's email: the same name, another person.
    sim.createUser('200000000005', {name: 'dana', tags: {email: 'dana.other@example.com'}});
    const inv = await inventory(ctx());
    const ambiguous = inv.identities.find((i) => i.id === 'iam:200000000004:?');
    expect(ambiguous).toMatchObject({confidence: 'ambiguous', data: {candidates: ['Dana@Example.com', 'dana']}});
    expect(inv.identities.some((i) => i.id.startsWith('iam:200000000005'))).toBe(false);
    expect(planFor(inv).find((s) => s.id === 'aws:review_iam_users:200000000004:candidates')?.kind).toBe('manual');
    const mapped = await inventory(ctx({user_mapping: {dana: {'*': 'dana', '200000000004': 'dana-missing'}}}));
    expect(mapped.identities.filter((i) => i.id.startsWith('iam:')).map((i) => [i.id, i.confidence, i.source]))
      .toEqual([
        ['iam:200000000001:dana', 'exact', 'explicit mapping (*)'],
        ['iam:200000000004:dana-missing', 'not_found', 'explicit mapping (200000000004): no such user'],
        ['iam:200000000005:dana', 'exact', 'explicit mapping (*)'],
      ]);
  });
});
