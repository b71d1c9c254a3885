// The RPC contract across packages: every answer the real service gives (through Mattermost's commands/execute) parses
// with the webapp's result schema for that method (webapp/src/rpc_types.ts), and the schemas' keys are the service's.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {awsProvider} from '../../server/src/providers/aws/index.js';
import {mattermostProvider} from '../../server/src/providers/mattermost/index.js';
import {RPC_METHODS} from '../../server/src/mattermost/rpc_schema.js';
import {RPC_RESULTS} from '../../webapp/src/rpc_types.js';
import {type Harness, startHarness, waitFor} from '../support/service_harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({aws: true, execute: false, providers: [mattermostProvider, awsProvider]});
});
afterAll(async () => { await h.close(); });

type WebappMethod = keyof typeof RPC_RESULTS;

/** Top-level result keys the webapp has no use for (its object schemas drop them); every other key must be read. */
const UNREAD: Partial<Record<WebappMethod, string[]>> = {
  'plan.create': ['options'], 'plan.get': ['options'], 'run.get': ['steps', 'total', 'next_page'],
};

/** Calls the service and parses its result with the webapp's schema, as webapp/src/client.ts does. */
async function parsed(method: WebappMethod, payload: Record<string, unknown>): Promise<any> {
  const props = await h.rpc(method, payload);
  if (!props.ok) throw new Error(`${method} failed: ${JSON.stringify(props.error)}`);
  const result = RPC_RESULTS[method].safeParse(props.result);
  if (!result.success) throw new Error(`${method}: the webapp cannot parse ${JSON.stringify(props.result).slice(0, 400)}`);
  // Nothing the service sends is dropped unnoticed by the webapp's object schemas at the top level.
  expect(Object.keys(result.data as object).sort())
    .toEqual(Object.keys(props.result).filter((k) => !(UNREAD[method] ?? []).includes(k)).sort());
  return result.data;
}

describe('service answers → webapp schemas', () => {
  it('knows only methods the service has', () => {
    expect(Object.keys(RPC_RESULTS).filter((m) => !(RPC_METHODS as string[]).includes(m))).toEqual([]);
  });

  it('parses capabilities, with the identity fields of editable systems', async () => {
    const caps = await parsed('capabilities', {});
    expect(caps.providers.map((p: any) => [p.id, p.identity_input?.label ?? null])).toEqual([['mattermost', null],
      ['aws', 'IAM user name']]);
  });

  it('parses the whole modal walk: person, inventory with entered identities, checklist, run and an action', async () => {
    const {subject} = await parsed('subject.resolve', {query: '@dana'});
    const {inventory_id} = await parsed('inventory.start', {user_id: subject.user_id, identities: {aws: ['dana.admin']}});
    const inventory = await waitFor(async () => {
      const r = await parsed('inventory.get', {inventory_id});
      return r.inventory.done ? r.inventory : undefined;
    });
    expect(inventory.providers.find((p: any) => p.id === 'aws').identities.some((i: any) => i.source === 'entered by admin'))
      .toBe(true);
    const page = await parsed('inventory.get', {inventory_id, provider: 'aws', per_page: 5});
    expect(page.findings).toHaveLength(5);
    const plan = await parsed('plan.create', {inventory_id, options: {}});
    await parsed('plan.get', {plan_id: plan.plan_id, page: 0, per_page: 10});
    const started = await parsed('run.start', {plan_id: plan.plan_id, confirm_username: 'dana'});
    await parsed('run.get', {run_id: started.run.id, per_page: 1});
    const cancelled = await parsed('run.act', {run_id: started.run.id, action: 'cancel'});
    expect(cancelled.run.status).toBe('cancelled');
  });

  it('gives errors the shape the webapp reads: code, message and the field they are about', async () => {
    const props = await h.rpc('inventory.start', {user_id: h.seed.subject.userId, identities: {aws: ['not valid!']}});
    expect(props).toEqual({ok: false, method: 'inventory.start', error: {code: 'bad_request', field: 'identities.aws',
      message: expect.any(String)}});
  });
});
