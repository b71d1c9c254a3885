// The run card contract across packages (docs/run_card_contract.md): what the service's renderer posts is exactly
// what the webapp's defensive parser accepts, for every run status and every step state.
import {describe, expect, it} from '@jest/globals';
import {INJECTION, makeRun, makeStep, recordingActions} from '../../server/src/mattermost/testing/card_fixtures.js';
import {renderRunCard} from '../../server/src/mattermost/run_card.js';
import {RUN_STATUSES, STEP_STATES} from '../../server/src/engine/types.js';
import {parseRunCard} from '../../webapp/src/components/run_card/run_card_schema.js';

describe('run card props: service renderer → webapp parser', () => {
  const steps = STEP_STATES.map((state, i) => makeStep({
    id: `mattermost:step_${i}:${state}`, state, title: `${INJECTION} step ${i}`,
    error: state === 'failed' ? 'Mattermost 403: You do not have the appropriate permissions' : null,
    kind: state.startsWith('manual') ? 'manual' : 'auto', verified: state === 'done' ? true : null,
  }));

  it.each(RUN_STATUSES)('parses a %s run with a step in every state', (status) => {
    const {props} = renderRunCard(makeRun({status}), steps, recordingActions());
    const card = parseRunCard(props);
    expect(card).not.toBeNull();
    expect(card!.status).toBe(status);
    expect(card!.steps.map((s) => s.state).sort()).toEqual([...STEP_STATES].sort());
    expect(card!.steps.find((s) => s.state === 'failed')?.error).toMatch(/403/);
    // Props carry raw text: the webapp renders it as text (no Markdown), the fallback message escapes it.
    expect(card!.steps.every((s) => s.title.startsWith(INJECTION))).toBe(true);
  });

  it('caps very long runs at 500 steps and says so', () => {
    const many = Array.from({length: 600}, (_, i) => makeStep({id: `aws:delete_user:${i}`, state: 'pending'}));
    const card = parseRunCard(renderRunCard(makeRun(), many, null).props);
    expect(card!.steps.length).toBeLessThanOrEqual(500);
    expect(card!.steps_truncated).toBe(true);
    expect(card!.total).toBe(600);
  });

  it('rejects what the renderer never produces', () => {
    const {props} = renderRunCard(makeRun(), steps, null);
    const broken = JSON.parse(JSON.stringify(props)) as {offboarding_run: Record<string, unknown>};
    broken.offboarding_run.status = 'exploded';
    expect(parseRunCard(broken)).toBeNull();
    expect(parseRunCard({offboarding_run: 'nope'})).toBeNull();
  });
});
