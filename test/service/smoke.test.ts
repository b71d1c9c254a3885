// Smoke: the harness boots the service against the simulator and capabilities answer through commands/execute.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {type Harness, startHarness} from '../support/service_harness.js';

describe('service harness', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });

  it('answers capabilities through the slash-command RPC path', async () => {
    const props = await h.rpc('capabilities', {});
    expect(props.ok).toBe(true);
    expect(props.result.providers.map((p: {id: string}) => p.id)).toEqual(['mattermost']);
  });
});
