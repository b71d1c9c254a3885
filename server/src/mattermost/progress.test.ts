// The progress reporter against an in-memory Mattermost and store with a fake clock: card edits coalesced to one per
// second (leading and trailing edge), each reply exactly once (also after a restart or beside another replica),
// the final summary with both report files, and Mattermost failures that never reach the caller.
import {beforeEach, describe, expect, it} from '@jest/globals';
import {createRun} from '../engine/actions.js';
import {FakeClock} from '../engine/testing/fake_clock.js';
import {MemoryRunStore} from '../engine/testing/memory_store.js';
import {RecordingLogger} from '../engine/testing/test_context.js';
import type {Run, Step, StepSpec, StepState} from '../engine/types.js';
import {MattermostApiError} from './client.js';
import {ProgressReporter} from './progress.js';
import {CLAIM_TAKEOVER_MS, REPLY_CLAIMED} from './progress_ledger.js';
import {REPLY_KEY_PROP} from './progress_replies.js';
import {renderRunCard, RUN_POST_TYPE} from './run_card.js';
import {INJECTION, recordingActions} from './testing/card_fixtures.js';
import {FakeMattermost, serverError} from './testing/fake_mattermost.js';

const BOT = 'b'.repeat(26);
const titles = new Map([['mattermost', 'Mattermost'], ['github', 'GitHub']]);

function spec(id: string, provider = 'mattermost'): StepSpec {
  return {id, provider, phase: 'contain', action: 'revoke', target: id, title: `Revoke ${id}`, kind: 'auto',
    dependsOn: [], params: {}};
}

class Fixture {
  readonly clock = new FakeClock();
  readonly store = new MemoryRunStore();
  readonly log = new RecordingLogger();
  readonly mm = new FakeMattermost(BOT);
  readonly actions = recordingActions();
  readonly adminId: string;
  readonly danaId: string;
  run!: Run;

  constructor() {
    const team = this.mm.addTeam('acme');
    this.adminId = this.mm.addUser('sysadmin').id;
    this.danaId = this.mm.addUser('dana').id;
    const alice = this.mm.addUser('alice').id;
    for (const id of [this.adminId, this.danaId, alice]) this.mm.teamMembers.add(`${team.id}:${id}`);
  }

  reporter(owner = 'replica-1'): ProgressReporter {
    return new ProgressReporter({
      store: this.store, mm: this.mm, clock: this.clock, log: this.log, botUserId: BOT, owner, teamName: 'acme',
      reviewers: ['alice'], providerTitles: titles, actions: this.actions,
    });
  }

  async createRun(specs: StepSpec[], requireApproval = false): Promise<Run> {
    this.run = await createRun(this.store, this.clock, {
      id: 'r'.repeat(26), subject: {userId: this.danaId, username: 'dana', email: 'dana@example.com',
        displayName: 'Dana Whitfield', roles: [], isBot: false},
      initiatorId: this.adminId, planId: null, steps: specs, options: {}, requireApproval,
    });
    return this.run;
  }

  async snapshot(): Promise<{run: Run; steps: Step[]}> {
    return {run: (await this.store.getRun(this.run.id))!, steps: await this.store.listSteps(this.run.id)};
  }

  /** Changes a step in the store as the executor would and tells the reporter like the executor's onChange. */
  async step(reporter: ProgressReporter, id: string, state: StepState, error: string | null = null): Promise<Step> {
    const now = this.clock.now();
    const done = ['done', 'already_done', 'failed', 'skipped', 'manual_done'].includes(state);
    const changed = (await this.store.updateStep(this.run.id, id, [], null,
      {state, error, updatedAt: now, ...(done ? {finishedAt: now} : {})}))!;
    const {run, steps} = await this.snapshot();
    reporter.onChange(run, steps, changed);
    return changed;
  }

  async finish(reporter: ProgressReporter, status: 'completed' | 'completed_with_errors' | 'cancelled'): Promise<void> {
    const now = this.clock.now();
    await this.store.transitionRun(this.run.id, [], {status, finishedAt: now, updatedAt: now},
      {actor: 'executor:x', action: `run.${status}`, target: this.run.id, outcome: status, evidence: {}, at: now});
    const {run, steps} = await this.snapshot();
    reporter.onChange(run, steps, null);
  }

  card() {
    const postId = this.store.getRun(this.run.id).then((r) => r?.postId ?? '');
    return postId.then((id) => this.mm.posts.get(id)!);
  }

  async replies(): Promise<string[]> {
    return this.mm.replies((await this.card()).id).map((p) => p.message);
  }

  count(call: string): number {
    return this.mm.calls.filter((c) => c === call).length;
  }
}

let f: Fixture;
beforeEach(() => { f = new Fixture(); });

describe('channel and card at creation', () => {
  it('creates the channel, posts the card and stores both on the run', async () => {
    const reporter = f.reporter();
    const run = await reporter.runCreated(await f.createRun([spec('a'), spec('b')]));
    expect(run.channelId).toBeTruthy();
    expect(run.postId).toBeTruthy();
    const card = f.mm.posts.get(run.postId!)!;
    expect(card).toMatchObject({channel_id: run.channelId, root_id: '', type: RUN_POST_TYPE, user_id: BOT});
    expect((card.props.offboarding_run as {run_id: string}).run_id).toBe(run.id);
    const audit = (await f.store.listAudit(run.id)).map((e) => e.action);
    expect(audit).toEqual(['run.created', 'progress.channel_ready', 'progress.card_posted']);
  });

  it('an approval run gets its card with Approve at creation', async () => {
    const run = await f.reporter().runCreated(await f.createRun([spec('a')], true));
    const names = (f.mm.posts.get(run.postId!)!.props.attachments as {actions: {name: string}[]}[])[0]!.actions
      .map((a) => a.name);
    expect(names).toEqual(['Approve', 'Cancel run']);
  });

  it('a Mattermost failure loses nothing: the run is returned and the channel is created on a retry', async () => {
    f.mm.fail('createChannel', serverError('/channels'), 2);
    const reporter = f.reporter();
    const run = await reporter.runCreated(await f.createRun([spec('a')]));
    expect(run.channelId).toBeNull();
    expect(await f.store.getRun(run.id)).toBeDefined();
    expect(f.log.find('warn', 'run card not updated')).toHaveLength(1);
    await f.clock.advance(10_000);
    const after = (await f.store.getRun(run.id))!;
    expect(after.channelId).toBeTruthy();
    expect(after.postId).toBeTruthy();
    expect(f.mm.channels.size).toBe(1);
  });
});

describe('coalescing card edits', () => {
  it('20 changes within one second make at most two edits, and the last one shows the final state', async () => {
    const ids = Array.from({length: 10}, (_, i) => `s${i}`);
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun(ids.map((id) => spec(id))));
    await f.clock.advance(2000);
    const changes = [...ids.map((id) => [id, 'running'] as const), ...ids.map((id) => [id, 'done'] as const)];
    for (const [index, [id, state]] of changes.entries()) {
      await f.step(reporter, id, state);
      await f.clock.advance(0);
      // Leading edge: the first change is shown at once.
      if (index === 0) expect(f.count('patchPost')).toBe(1);
      await f.clock.advance(50);
    }
    await f.clock.advance(5000);
    expect(f.count('patchPost')).toBe(2);
    const {run, steps} = await f.snapshot();
    const card = await f.card();
    const wanted = renderRunCard(run, steps, f.actions, {providerTitles: titles});
    expect(card.message).toBe(wanted.message);
    expect(card.props.offboarding_run).toEqual(wanted.props.offboarding_run);
  });

  it('never edits twice within a second, however the changes are spread', async () => {
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun(Array.from({length: 30}, (_, i) => spec(`s${i}`))));
    const edits: number[] = [];
    const patch = f.mm.patchPost.bind(f.mm);
    f.mm.patchPost = async (id, p) => { edits.push(f.clock.now()); return patch(id, p); };
    for (let i = 0; i < 30; i += 1) {
      await f.step(reporter, `s${i}`, 'done');
      await f.clock.advance(i % 4 === 0 ? 700 : 130);
    }
    await f.clock.advance(3000);
    expect(edits.length).toBeGreaterThan(3);
    for (let i = 1; i < edits.length; i += 1) expect(edits[i]! - edits[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('close() posts the pending trailing edit and leaves no timer behind', async () => {
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun([spec('a'), spec('b')]));
    await f.step(reporter, 'a', 'done');
    await f.clock.advance(0);
    const before = f.count('patchPost');
    const closing = reporter.close();
    await f.clock.advance(1000);
    await closing;
    expect(f.count('patchPost')).toBe(before + 1);
    expect(JSON.stringify((await f.card()).props.offboarding_run)).toContain('"state":"done"');
    expect(f.clock.pendingSleeps()).toBe(0);
  });
});

describe('Mattermost failures stay inside the reporter', () => {
  it('a failed edit is logged and retried until the final state is shown', async () => {
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun([spec('a')]));
    f.mm.fail('patchPost', serverError('/posts/{post_id}/patch'), 3);
    expect(() => reporter.onChange(f.run, [], null)).not.toThrow();
    await f.step(reporter, 'a', 'done');
    await f.clock.advance(30_000);
    expect(f.log.find('warn', 'run card not updated').length).toBe(3);
    expect(JSON.stringify((await f.card()).props.offboarding_run)).toContain('"state":"done"');
  });

  it('a deleted card is posted again', async () => {
    const reporter = f.reporter();
    const run = await reporter.runCreated(await f.createRun([spec('a')]));
    f.mm.posts.delete(run.postId!);
    await f.step(reporter, 'a', 'done');
    await f.clock.advance(10_000);
    const now = (await f.store.getRun(run.id))!;
    expect(now.postId).not.toBe(run.postId);
    expect(f.mm.posts.get(now.postId!)!.type).toBe(RUN_POST_TYPE);
  });

  it('edits refused for PostEditTimeLimit stop, replies go on', async () => {
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun([spec('a'), spec('b')]));
    f.mm.fail('patchPost', new MattermostApiError('time limit', {status: 400, route: '/posts/{post_id}/patch',
      serverErrorId: 'api.post.update_post.permissions_time_limit.app_error'}), Infinity);
    await f.step(reporter, 'a', 'failed', 'boom');
    await f.clock.advance(60_000);
    await f.step(reporter, 'b', 'done');
    await f.clock.advance(60_000);
    expect(f.count('patchPost')).toBe(1);
    expect(await f.replies()).toHaveLength(2);
  });
});

describe('thread replies, each exactly once', () => {
  it('a failed step at once, escaped, once however often the run changes', async () => {
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun([spec('a'), spec('b')]));
    await f.step(reporter, 'a', 'failed', `denied for ${INJECTION}`);
    await f.clock.advance(0);
    const replies = await f.replies();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(':x: **Step 1 failed**');
    expect(replies[0]).not.toMatch(/@all\b|\]\(javascript/);
    for (let i = 0; i < 5; i += 1) reporter.changed(f.run.id);
    await f.clock.advance(5000);
    expect(await f.replies()).toHaveLength(1);
  });

  it('one tally per provider when its steps are all finished', async () => {
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun([spec('m1'), spec('m2'), spec('g1', 'github')]));
    await f.step(reporter, 'm1', 'done');
    await f.step(reporter, 'm2', 'already_done');
    await f.clock.advance(2000);
    expect(await f.replies()).toEqual([':white_check_mark: **Mattermost:** 1 step done, 1 already done']);
    await f.step(reporter, 'g1', 'done');
    reporter.changed(f.run.id);
    await f.clock.advance(2000);
    expect(await f.replies()).toEqual([':white_check_mark: **Mattermost:** 1 step done, 1 already done',
      ':white_check_mark: **GitHub:** 1 step done']);
  });

  it('the final summary with the JSON and Markdown report, once, also after a restart', async () => {
    const first = f.reporter('replica-1');
    await first.runCreated(await f.createRun([spec('a')]));
    await f.step(first, 'a', 'done');
    await f.finish(first, 'completed');
    first.changed(f.run.id);
    await f.clock.advance(3000);
    await first.close();
    const card = await f.card();
    const finals = f.mm.replies(card.id).filter((p) => (p.file_ids ?? []).length > 0);
    expect(finals).toHaveLength(1);
    const files = finals[0]!.file_ids!.map((id) => f.mm.files.get(id)!);
    expect(files.map((x) => [x.info.name, x.info.mime_type])).toEqual([
      [`report-${f.run.id}.json`, 'application/json'], [`report-${f.run.id}.md`, 'text/markdown']]);
    expect(JSON.parse(files[0]!.content).run).toMatchObject({id: f.run.id, status: 'completed'});
    expect(files[1]!.content).toContain('# Offboarding report: Dana Whitfield');
    expect(finals[0]!.message).toContain(':white_check_mark: completed');
    expect(f.count('uploadFile')).toBe(2);

    const restarted = f.reporter('replica-1-restarted');
    await restarted.resume();
    await f.clock.advance(CLAIM_TAKEOVER_MS * 2);
    await restarted.close();
    expect(f.count('uploadFile')).toBe(2);
    expect(await f.replies()).toHaveLength(2);
  });

  it('a claim held by another replica is respected, and taken over when it was abandoned', async () => {
    const reporter = f.reporter('replica-2');
    await reporter.runCreated(await f.createRun([spec('a'), spec('b')]));
    const failed = await f.step(reporter, 'a', 'failed', 'boom');
    const key = `failed:a:${failed.finishedAt}`;
    // Another replica claimed this reply a moment ago: it will post it.
    await f.store.appendAudit(f.run.id, {actor: 'system', action: REPLY_CLAIMED, target: key, outcome: 'claimed',
      evidence: {owner: 'replica-1'}, at: f.clock.now()});
    await f.clock.advance(1000);
    expect(await f.replies()).toEqual([]);
    // It died without posting: after the takeover time this replica posts it, once.
    await f.clock.advance(CLAIM_TAKEOVER_MS);
    expect(await f.replies()).toHaveLength(1);
    reporter.changed(f.run.id);
    await f.clock.advance(CLAIM_TAKEOVER_MS * 2);
    expect(await f.replies()).toHaveLength(1);
  });

  it('a takeover finds a reply the dead claimant did post instead of posting it twice', async () => {
    const reporter = f.reporter('replica-2');
    const run = await reporter.runCreated(await f.createRun([spec('a'), spec('b')]));
    const changed = (await f.store.updateStep(run.id, 'a', [], null, {state: 'failed', error: 'boom',
      finishedAt: f.clock.now(), updatedAt: f.clock.now()}))!;
    const key = `failed:a:${changed.finishedAt}`;
    await f.store.appendAudit(run.id, {actor: 'system', action: REPLY_CLAIMED, target: key, outcome: 'claimed',
      evidence: {owner: 'replica-1'}, at: f.clock.now() - CLAIM_TAKEOVER_MS});
    await f.mm.createPost({channel_id: run.channelId!, root_id: run.postId!, message: 'posted before the crash',
      props: {[REPLY_KEY_PROP]: key}});
    reporter.changed(run.id);
    await f.clock.advance(2000);
    expect(await f.replies()).toEqual(['posted before the crash']);
    expect((await f.store.listAudit(run.id)).filter((e) => e.action === 'progress.reply_sent')).toHaveLength(1);
  });

  it('a failed reply is retried and still posted once', async () => {
    const reporter = f.reporter();
    await reporter.runCreated(await f.createRun([spec('a'), spec('b')]));
    f.mm.fail('createPost', serverError('/posts'), 2);
    await f.step(reporter, 'a', 'failed', 'boom');
    await f.clock.advance(30_000);
    expect(await f.replies()).toHaveLength(1);
    expect(f.log.find('warn', 'thread reply not posted')).toHaveLength(2);
  });
});
