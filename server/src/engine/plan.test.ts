// buildPlan ordering and validation, disabled steps, option resolution, and readySteps (dependencies, barrier).
import {describe, expect, it} from '@jest/globals';
import {PermanentError} from './errors.js';
import {buildPlan, readySteps, resolvePlanOptions} from './plan.js';
import {FakeProvider, stepSpec} from './testing/fake_provider.js';
import type {AnyProvider, Finding, Step, StepSpec, StepState} from './types.js';

function providerWith(id: string, specs: StepSpec[]): FakeProvider {
  return new FakeProvider({id, plan: () => specs});
}

function plan(providers: AnyProvider[], disabledSteps: string[] = []): string[] {
  return buildPlan({providers, findings: new Map(), identities: new Map(), options: {}, disabledSteps})
    .map((s) => s.id);
}

function step(spec: StepSpec, state: StepState = 'pending', extra: Partial<Step> = {}): Step {
  return {
    ...spec, runId: 'r1', seq: 0, state, attempts: 0, leaseOwner: null, leaseUntil: null, notBefore: null,
    outcome: null, verified: null, verifyEvidence: null, error: null, note: null, actedBy: null, startedAt: null,
    finishedAt: null, updatedAt: 0, ...extra,
  };
}

describe('buildPlan', () => {
  it('orders by phase, then provider order, then the provider\'s own order', () => {
    const mm = providerWith('mattermost', [
      stepSpec('mattermost', 'remove_team', 't2', {phase: 'revoke'}),
      stepSpec('mattermost', 'remove_team', 't1', {phase: 'revoke'}),
      stepSpec('mattermost', 'revoke_sessions', 'u1', {phase: 'contain'}),
    ]);
    const gh = providerWith('github', [
      stepSpec('github', 'remove_member', 'acme', {phase: 'revoke'}),
      stepSpec('github', 'revoke_token', 'tok', {phase: 'contain'}),
    ]);
    expect(plan([mm, gh])).toEqual([
      'mattermost:revoke_sessions:u1', 'github:revoke_token:tok',
      'mattermost:remove_team:t2', 'mattermost:remove_team:t1', 'github:remove_member:acme',
    ]);
    expect(plan([gh, mm])[0]).toBe('github:revoke_token:tok');
  });

  it('passes each provider its findings, identities and resolved options', () => {
    const finding: Finding = {
      provider: 'gh', kind: 'org', id: 'acme', label: 'acme', identityId: 'bob', risk: 'high', residual: false, data: {},
    };
    const seen: unknown[] = [];
    const gh = new FakeProvider({
      id: 'gh',
      planOptions: [{key: 'downgrade', title: 'Downgrade', type: 'boolean', default: false}],
      plan: (findings, options, identities) => {
        seen.push({findings, options, identities});
        return findings.map((f) => stepSpec('gh', 'remove', f.id));
      },
    });
    const steps = buildPlan({
      providers: [gh], findings: new Map([['gh', [finding]]]), identities: new Map(), options: {other: {x: 1}},
    });
    expect(steps.map((s) => s.id)).toEqual(['gh:remove:acme']);
    expect(seen).toEqual([{findings: [finding], options: {downgrade: false}, identities: []}]);
  });

  it('refuses duplicate ids, unknown dependencies, foreign steps and unknown phases', () => {
    const a = stepSpec('p', 'x', '1');
    expect(() => plan([providerWith('p', [a, a])])).toThrow('Duplicate step id "p:x:1"');
    expect(() => plan([providerWith('p', [stepSpec('p', 'x', '2', {dependsOn: ['nope']})])]))
      .toThrow('depends on "nope", which is not in the plan');
    expect(() => plan([providerWith('p', [stepSpec('q', 'x', '1')])])).toThrow('planned step "q:x:1" for provider "q"');
    expect(() => plan([providerWith('p', [stepSpec('p', 'x', '1', {phase: 'later' as never})])]))
      .toThrow('unknown phase "later"');
    expect(() => plan([providerWith('p', [a, a])])).toThrow(PermanentError);
  });

  it('refuses explicit cycles', () => {
    const a = stepSpec('p', 'a', '1', {dependsOn: ['p:b:1']});
    const b = stepSpec('p', 'b', '1', {dependsOn: ['p:a:1']});
    expect(() => plan([providerWith('p', [a, b])])).toThrow(/dependency cycle: p:a:1 → p:b:1 → p:a:1/);
  });

  it('refuses cycles that only exist through the phase barrier', () => {
    // contain step waits for a revoke step of the same provider, which waits for the contain phase: deadlock.
    const early = stepSpec('p', 'early', '1', {phase: 'contain', dependsOn: ['p:late:1']});
    const late = stepSpec('p', 'late', '1', {phase: 'revoke'});
    expect(() => plan([providerWith('p', [early, late])])).toThrow(/dependency cycle.*all p steps before phase revoke/);
    // The same shape across two providers is fine: the barrier is per provider.
    const crossEarly = stepSpec('p', 'early', '1', {phase: 'contain', dependsOn: ['q:late:1']});
    const crossLate = stepSpec('q', 'late', '1', {phase: 'revoke'});
    expect(plan([providerWith('p', [crossEarly]), providerWith('q', [crossLate])])).toHaveLength(2);
  });

  it('drops disabled steps and the action steps depending on them, keeps verify steps without the edge', () => {
    const keys = stepSpec('aws', 'delete_keys', 'bob', {phase: 'contain'});
    const user = stepSpec('aws', 'delete_user', 'bob', {phase: 'cleanup', dependsOn: [keys.id]});
    const group = stepSpec('aws', 'tag_user', 'bob', {phase: 'cleanup', dependsOn: [user.id]});
    const check = stepSpec('aws', 'verify_gone', 'bob', {phase: 'verify', dependsOn: [user.id, keys.id]});
    const other = stepSpec('aws', 'remove_group', 'devs', {phase: 'revoke'});
    const steps = buildPlan({
      providers: [providerWith('aws', [keys, user, group, check, other])], findings: new Map(), identities: new Map(),
      options: {}, disabledSteps: [user.id, 'aws:gone:already'],
    });
    expect(steps.map((s) => s.id)).toEqual([keys.id, other.id, check.id]);
    expect(steps.find((s) => s.id === check.id)?.dependsOn).toEqual([keys.id]);
  });
});

describe('resolvePlanOptions', () => {
  const gh = new FakeProvider({
    id: 'gh',
    planOptions: [
      {key: 'downgrade', title: 'Downgrade', type: 'boolean', default: false},
      {key: 'mode', title: 'Mode', type: 'choice', default: 'remove',
        choices: [{value: 'remove', title: 'Remove'}, {value: 'keep', title: 'Keep'}]},
      {key: 'reason', title: 'Reason', type: 'text', default: ''},
    ],
  });

  it('applies defaults and keeps given values', () => {
    expect(resolvePlanOptions(gh, {mode: 'keep'})).toEqual({downgrade: false, mode: 'keep', reason: ''});
  });

  it('refuses unknown keys and wrong types', () => {
    expect(() => resolvePlanOptions(gh, {nope: true})).toThrow('Unknown option "nope" for Fake gh');
    expect(() => resolvePlanOptions(gh, {downgrade: 'yes'})).toThrow('must be true or false');
    expect(() => resolvePlanOptions(gh, {mode: 'delete'})).toThrow('must be one of: remove, keep');
    expect(() => resolvePlanOptions(gh, {reason: 3})).toThrow('must be text');
  });
});

describe('readySteps', () => {
  const contain = stepSpec('p', 'contain', '1', {phase: 'contain'});
  const revoke = stepSpec('p', 'revoke', '1', {phase: 'revoke'});
  const otherRevoke = stepSpec('q', 'revoke', '1', {phase: 'revoke'});
  const dependent = stepSpec('q', 'after', '1', {phase: 'revoke', dependsOn: [contain.id]});

  it('holds later phases of a provider until its earlier phases are terminal', () => {
    const ready = readySteps([step(contain), step(revoke), step(otherRevoke), step(dependent)], 0);
    expect(ready.claimable.map((s) => s.id)).toEqual([contain.id, otherRevoke.id]);
    const after = readySteps([step(contain, 'failed'), step(revoke), step(otherRevoke, 'done')], 0);
    expect(after.claimable.map((s) => s.id)).toEqual([revoke.id]);
  });

  it('needs dependencies in a success state', () => {
    expect(readySteps([step(contain, 'running', {leaseUntil: 10}), step(dependent)], 0).claimable).toEqual([]);
    expect(readySteps([step(contain, 'already_done'), step(dependent)], 0).claimable.map((s) => s.id))
      .toEqual([dependent.id]);
  });

  it('skips dependents of failed or skipped steps, transitively in one pass', () => {
    const third = stepSpec('q', 'third', '1', {phase: 'cleanup', dependsOn: [dependent.id]});
    const ready = readySteps([step(contain, 'failed'), step(dependent), step(third)], 0);
    expect(ready.toSkip.map((s) => [s.step.id, s.reason])).toEqual([
      [dependent.id, `dependency ${contain.id} failed`],
      [third.id, `dependency ${dependent.id} skipped`],
    ]);
    expect(ready.claimable).toEqual([]);
  });

  it('moves ready manual steps to manual_pending and honours notBefore and expired leases', () => {
    const manual = stepSpec('p', 'ask', '1', {phase: 'contain', kind: 'manual'});
    const ready = readySteps([
      step(manual), step(revoke, 'pending', {notBefore: 100}), step(otherRevoke, 'running', {leaseUntil: 50}),
    ], 50);
    expect(ready.toManualPending.map((s) => s.id)).toEqual([manual.id]);
    expect(ready.claimable.map((s) => s.id)).toEqual([otherRevoke.id]);
    const later = readySteps([step(manual, 'manual_done'), step(revoke, 'pending', {notBefore: 100})], 100);
    expect(later.claimable.map((s) => s.id)).toEqual([revoke.id]);
  });

  it('blocks the next phase while a manual step waits for an admin', () => {
    const manual = stepSpec('p', 'ask', '1', {phase: 'contain', kind: 'manual'});
    expect(readySteps([step(manual, 'manual_pending'), step(revoke)], 0).claimable).toEqual([]);
  });
});
