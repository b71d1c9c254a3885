// The run card and thread replies as pure renderers: grouping, icons, counts, escaping of user and vendor text,
// Mattermost's length limit, and which buttons each run status shows.
import {describe, expect, it} from '@jest/globals';
import {escapeMarkdown} from '../audit/markdown.js';
import type {Json, Step} from '../engine/types.js';
import {
  cardFingerprint, MAX_CARD_BUTTONS, MAX_CARD_STEPS, MAX_POST_MESSAGE_RUNES, renderRunCard, RUN_POST_TYPE,
} from './run_card.js';
import {renderFailedStepReply, renderFinalSummary, renderProviderSummary} from './run_replies.js';
import {INJECTION, makeRun, makeStep, recordingActions, RUN_ID} from './testing/card_fixtures.js';

const titles = new Map([['mattermost', 'Mattermost'], ['github', 'GitHub']]);

function mixedSteps(): Step[] {
  return [
    makeStep({id: 'mm:sessions', title: 'Revoke all sessions of @dana', state: 'done', verified: true}),
    makeStep({id: 'gh:org', provider: 'github', phase: 'revoke', title: 'Remove from org acme', state: 'running'}),
    makeStep({id: 'mm:team', phase: 'revoke', title: 'Remove @dana from team Acme', state: 'failed',
      error: 'Mattermost /teams/{team_id}/members answered 500'}),
    makeStep({id: 'mm:token', title: 'Revoke token "CI"', state: 'already_done'}),
    makeStep({id: 'mm:hook', phase: 'cleanup', title: 'Delete webhook', state: 'skipped',
      error: 'dependency mm:team failed'}),
    makeStep({id: 'gh:laptop', provider: 'github', phase: 'cleanup', kind: 'manual', title: 'Wipe the laptop',
      state: 'manual_pending', assignee: 'IT desk'}),
    makeStep({id: 'gh:keys', provider: 'github', phase: 'contain', title: 'Delete SSH keys', state: 'pending'}),
  ];
}

type Card = {offboarding_run: Record<string, any>; attachments?: {text?: string; actions: any[]}[]};
const propsOf = (props: unknown): Card => props as Card;
const buttons = (props: unknown) => (propsOf(props).attachments ?? []).flatMap((a) => a.actions);

describe('renderRunCard: the fallback message', () => {
  const card = renderRunCard(makeRun(), mixedSteps(), recordingActions(), {providerTitles: titles});
  const lines = card.message.split('\n');

  it('groups by provider (plan order) and phase, numbered in that order, with a state icon each', () => {
    const structure = lines.filter((l) => l.startsWith('#####') || /^\*\*[A-Za-z ]+\*\*$/.test(l) || /^\d+\./.test(l));
    expect(structure).toEqual([
      '##### Mattermost',
      '**Contain**',
      '1. :white_check_mark: Revoke all sessions of @\u200ddana',
      '2. :ballot_box_with_check: Revoke token "CI"',
      '**Revoke**',
      '3. :x: Remove @\u200ddana from team Acme — **failed:** Mattermost /teams/\\{team\\_id\\}/members answered 500',
      '**Clean up**',
      '4. :fast_forward: Delete webhook — _skipped: dependency mm:team failed_',
      '##### GitHub',
      '**Contain**',
      '5. :white_circle: Delete SSH keys',
      '**Revoke**',
      '6. :hourglass_flowing_sand: Remove from org acme',
      '**Clean up**',
      '7. :raised_hand: Wipe the laptop _(manual, for IT desk)_',
    ]);
  });

  it('separates phase headings by blank lines so Markdown does not fold them into the list above', () => {
    expect(card.message).toContain('Revoke token "CI"\n\n**Revoke**\n\n3. :x:');
  });

  it('states the subject, the status and the counts', () => {
    expect(lines[0]).toBe('#### Offboarding Dana Whitfield (@\u200ddana)');
    expect(lines[1]).toBe('**Status:** :arrows_counterclockwise: Running · 4 of 7 steps finished · :x: 1 failed · '
      + ':raised_hand: 1 waiting for an admin · :hourglass_flowing_sand: 1 running');
    expect(card.message).toContain(RUN_ID);
  });

  it('says what an approval or a schedule waits for', () => {
    const waiting = renderRunCard(makeRun({status: 'awaiting_approval', approvalRequired: true}), mixedSteps(), null);
    expect(waiting.message).toMatch(/second admin must approve/);
    const at = Date.UTC(2025, 5, 1, 9, 30);
    const scheduled = renderRunCard(makeRun({status: 'scheduled', scheduledAt: at}), mixedSteps(), null);
    expect(scheduled.message).toContain(`Starts at ${new Date(at).toISOString()}`);
  });
});

describe('renderRunCard: escaping', () => {
  const run = makeRun({subject: {...makeRun().subject, displayName: INJECTION, username: 'all'}});
  const steps = [makeStep({id: 'x', title: `Remove ${INJECTION}`, state: 'failed',
    error: 'boom **bold** [link](https://evil.example) @channel <img src=x> `code`\n# heading'})];
  const {message, props} = renderRunCard(run, steps, recordingActions());

  it('leaves no formatting, link, HTML or mention from a display name, title or error', () => {
    expect(message).not.toContain('**@all**');
    expect(message).not.toMatch(/\[x\]\(/);
    expect(message).not.toMatch(/\]\(javascript:/);
    expect(message).not.toMatch(/\]\(https:/);
    expect(message).not.toMatch(/@(all|channel|here|dana)\b/);
    expect(message).not.toContain('<img');
    expect(message).not.toMatch(/^# heading/m);
    expect(message).toContain(escapeMarkdown(INJECTION));
    expect(message).toContain('\\*\\*bold\\*\\* \\[link\\]\\(https://evil.example\\) @\u200dchannel &lt;img');
  });

  it('keeps raw text in props (the webapp escapes for its medium) but one line and bounded', () => {
    const card = propsOf(props).offboarding_run;
    expect(card.subject.display_name).toBe(INJECTION);
    expect(card.steps[0].title).toBe(`Remove ${INJECTION}`);
    expect(card.steps[0].error).toBe('boom **bold** [link](https://evil.example) @channel <img src=x> `code` # heading');
  });

  it('puts no user text into button names (Mattermost does not escape them) and escapes the attachment text', () => {
    const [attachment] = propsOf(props).attachments ?? [];
    expect(buttons(props).map((b) => b.name)).toEqual(['Cancel run', 'Retry step 1']);
    expect(attachment?.text).toBe(`Retry step 1: ${escapeMarkdown(`Remove ${INJECTION}`)}`);
  });
});

describe('renderRunCard: size limits', () => {
  const long = 'Revoke access '.repeat(40);
  const steps = Array.from({length: 1200}, (_, i) => makeStep({id: `s${i}`, title: `${i} ${long}`,
    state: i % 3 === 0 ? 'failed' : 'done', error: i % 3 === 0 ? 'e'.repeat(2000) : null}));
  const {message, props} = renderRunCard(makeRun(), steps, recordingActions());

  it('cuts the message to Mattermost\'s limit and says how much is missing', () => {
    expect(Array.from(message).length).toBeLessThanOrEqual(MAX_POST_MESSAGE_RUNES);
    expect(message).toMatch(/… and \d+ more lines/);
    expect(message).toContain(`/offboard status ${RUN_ID}`);
  });

  it('caps the steps in props and keeps them small', () => {
    const card = propsOf(props).offboarding_run;
    expect(card.steps).toHaveLength(MAX_CARD_STEPS);
    expect(card.steps_truncated).toBe(true);
    expect(card.total).toBe(1200);
    expect(card.counts.failed).toBe(400);
    expect(Math.max(...card.steps.map((s: {error: string | null}) => s.error?.length ?? 0))).toBeLessThanOrEqual(300);
    expect(JSON.stringify(props).length).toBeLessThan(400_000);
  });

  it('caps the buttons', () => {
    expect(buttons(props)).toHaveLength(MAX_CARD_BUTTONS);
  });
});

describe('renderRunCard: buttons per status', () => {
  const failedSteps = [makeStep({id: 'a', state: 'done'}), makeStep({id: 'b', state: 'failed', error: 'x'}),
    makeStep({id: 'c', state: 'failed', error: 'y'})];
  const shown = (status: Parameters<typeof makeRun>[0], steps: Step[] = failedSteps) => {
    const actions = recordingActions();
    const {props} = renderRunCard(makeRun(status), steps, actions);
    return {names: buttons(props).map((b) => b.name), minted: actions.minted, all: buttons(props)};
  };

  it('awaiting approval: Approve and Cancel', () => {
    const pending = [makeStep({id: 'p'})];
    expect(shown({status: 'awaiting_approval'}, pending).names).toEqual(['Approve', 'Cancel run']);
  });
  it('scheduled: Cancel', () => expect(shown({status: 'scheduled'}, [makeStep({id: 'p'})]).names).toEqual(['Cancel run']));
  it('running with failures: Cancel and a Retry per failed step', () => {
    const {names, minted, all} = shown({status: 'running'});
    expect(names).toEqual(['Cancel run', 'Retry step 2', 'Retry step 3']);
    expect(minted).toEqual(['cancel:', 'retry_step:b', 'retry_step:c']);
    for (const b of all) {
      expect(b.id).toMatch(/^[A-Za-z0-9]+$/);
      expect(b.type).toBe('button');
      expect(b.integration.url).toBe('https://offboard.example.com/mattermost/action');
      expect(b.integration.context.run_id).toBe(RUN_ID);
    }
    expect(all[1].integration.context).toEqual({token: 'tok-retry_step-b', action: 'retry_step', run_id: RUN_ID,
      step_id: 'b'});
  });
  it('completed with errors: Retry only', () => {
    expect(shown({status: 'completed_with_errors'}).names).toEqual(['Retry step 2', 'Retry step 3']);
  });
  it('completed and cancelled: none, and no attachments at all', () => {
    const done = [makeStep({id: 'a', state: 'done'})];
    expect(renderRunCard(makeRun({status: 'completed'}), done, recordingActions()).props.attachments).toBeUndefined();
    expect(renderRunCard(makeRun({status: 'cancelled'}), failedSteps, recordingActions()).props.attachments)
      .toBeUndefined();
  });
  it('no button minter: no buttons', () => {
    expect(renderRunCard(makeRun({status: 'awaiting_approval'}), failedSteps, null).props.attachments).toBeUndefined();
  });
});

describe('renderRunCard: props', () => {
  it('follow the contract', () => {
    const run = makeRun({status: 'awaiting_approval', approvalRequired: true, updatedAt: 5});
    const steps = [makeStep({id: 'a', assignee: 'IT', note: 'line one\nline two', updatedAt: 9})];
    const card = propsOf(renderRunCard(run, steps, null).props).offboarding_run;
    expect(Object.keys(card).sort()).toEqual(['approval_required', 'approved_by', 'counts', 'initiator_id', 'run_id',
      'scheduled_at', 'status', 'steps', 'steps_truncated', 'subject', 'total', 'updated_at', 'v'].sort());
    expect(card).toMatchObject({v: 1, run_id: RUN_ID, status: 'awaiting_approval', approval_required: true,
      approved_by: null, scheduled_at: null, total: 1, steps_truncated: false, updated_at: 9,
      counts: {pending: 1, running: 0, done: 0, already_done: 0, failed: 0, skipped: 0, manual_pending: 0,
        manual_done: 0}});
    expect(card.steps[0]).toEqual({id: 'a', provider: 'mattermost', phase: 'contain', title: 'Step a', kind: 'auto',
      state: 'pending', verified: null, error: null, assignee: 'IT', note: 'line one line two'});
    expect(RUN_POST_TYPE).toBe('custom_offboarding_run');
  });

  it('fingerprint ignores button tokens but not what the card shows', () => {
    const steps = [makeStep({id: 'a', state: 'failed', error: 'x'})];
    const tokens = (salt: string) => ({url: 'u', context: (_r: string, action: string): Record<string, Json> =>
      ({token: salt, action})});
    const one = renderRunCard(makeRun(), steps, tokens('1'));
    const two = renderRunCard(makeRun(), steps, tokens('2'));
    expect(cardFingerprint(one)).toBe(cardFingerprint(two));
    const done = renderRunCard(makeRun(), [{...steps[0]!, state: 'done'}], tokens('1'));
    expect(cardFingerprint(done)).not.toBe(cardFingerprint(one));
  });
});

describe('thread replies', () => {
  it('a failed step: title and error escaped, where it happened, how to retry', () => {
    const step = makeStep({id: 'f', phase: 'revoke', title: `Remove ${INJECTION}`, state: 'failed',
      error: '@here see [docs](https://x.example)'});
    const text = renderFailedStepReply(step, 4, {providerTitles: titles});
    expect(text).toContain(':x: **Step 4 failed** (Mattermost · Revoke): ');
    expect(text).toContain(escapeMarkdown(`Remove ${INJECTION}`));
    expect(text).toContain('\n\n> @\u200dhere see \\[docs\\]\\(https://x.example\\)\n\n');
    expect(text).toContain('Retry step 4');
    expect(text).not.toMatch(/@(all|here)\b/);
  });

  it('a provider tally in words', () => {
    const steps = [
      ...Array.from({length: 23}, (_, i) => makeStep({id: `d${i}`, state: 'done'})),
      makeStep({id: 'a1', state: 'already_done'}), makeStep({id: 'a2', state: 'already_done'}),
      makeStep({id: 'f1', state: 'failed'}), makeStep({id: 'g', provider: 'github', state: 'done'}),
    ];
    expect(renderProviderSummary('mattermost', steps, {providerTitles: titles}))
      .toBe(':x: **Mattermost:** 23 steps done, 2 already done, 1 failed');
    expect(renderProviderSummary('github', steps, {providerTitles: titles}))
      .toBe(':white_check_mark: **GitHub:** 1 step done');
  });

  it('the final summary names the audit head, the files and the failures', () => {
    const head = 'f'.repeat(64);
    const run = makeRun({status: 'completed_with_errors', subject: {...makeRun().subject, displayName: INJECTION}});
    const steps = [makeStep({id: 'ok', state: 'done'}), makeStep({id: 'bad', state: 'failed', title: 'Bad [one]',
      error: '@all down'})];
    const text = renderFinalSummary(run, steps, {events: 12, head, verified: true}, {providerTitles: titles});
    expect(text).toContain(`head hash \`${head}\`, hash chain verified`);
    expect(text).toContain(`\`report-${RUN_ID}.json\``);
    expect(text).toContain(`\`report-${RUN_ID}.md\``);
    expect(text).toContain(':warning: completed with errors');
    expect(text).toContain('- Mattermost: Bad \\[one\\] — @\u200dall down');
    expect(text).toContain(escapeMarkdown(INJECTION));
    expect(text).not.toMatch(/@all\b/);
    const broken = renderFinalSummary(run, steps, {events: 3, head: 'not-a-hash', verified: false});
    expect(broken).toContain('**hash chain broken**');
    expect(broken).not.toContain('`not-a-hash`');
  });

  it('every reply fits Mattermost\'s limit', () => {
    const steps = Array.from({length: 2000}, (_, i) => makeStep({id: `f${i}`, state: 'failed', title: 't'.repeat(300),
      error: 'e'.repeat(500)}));
    const text = renderFinalSummary(makeRun({status: 'completed_with_errors'}), steps, {events: 1, head: null});
    expect(Array.from(text).length).toBeLessThanOrEqual(MAX_POST_MESSAGE_RUNES);
    expect(text).toMatch(/… and \d+ more failed steps/);
  });
});
