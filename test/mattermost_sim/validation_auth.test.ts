// Spec validation, the error shape, authentication and permission checks of the Mattermost simulator.

import {describe, expect, it} from '@jest/globals';
import type {SeededWorkspace} from './seed.js';
import type {MattermostSim} from './sim.js';
import {call, useSeededSim} from './test_support.js';

let sim: MattermostSim;
let seed: SeededWorkspace;

useSeededSim((started, seeded) => {
  sim = started;
  seed = seeded;
});

const expectAppError = (body: any, status: number, id: string | RegExp): void => {
  expect(body).toEqual({id: expect.stringMatching(id), message: expect.any(String), detailed_error: expect.any(String), request_id: expect.stringMatching(/^[a-z0-9]{26}$/), status_code: status});
};

describe('spec validation', () => {
  it('rejects a body that does not match the spec with 400 and changes nothing', async () => {
    const res = await call(sim, seed.adminToken, 'PUT', `/users/${seed.subject.userId}/active`, {active: 'no'});
    expect(res.status).toBe(400);
    expectAppError(res.body, 400, 'api.context.invalid_body_param.app_error');
    expect(res.body.message).toBe('Invalid or missing active in request body.');
    expect(sim.state.user(seed.subject.userId)?.delete_at).toBe(0);
  });

  it('rejects a missing required body field and a wrongly typed query parameter', async () => {
    const post = await call(sim, seed.adminToken, 'POST', '/posts', {message: 'no channel'});
    expect(post.status).toBe(400);
    expect(post.body.message).toBe('Invalid or missing channel_id in request body.');
    const list = await call(sim, seed.adminToken, 'GET', '/users?per_page=lots');
    expect(list.status).toBe(400);
    expectAppError(list.body, 400, 'api.context.invalid_url_param.app_error');
  });

  it('answers unknown paths with 404 and an unsupported method with 405, both as AppErrors', async () => {
    const unknown = await call(sim, seed.adminToken, 'GET', '/no/such/endpoint');
    expect(unknown.status).toBe(404);
    expectAppError(unknown.body, 404, 'api.context.404.app_error');
    const wrongMethod = await call(sim, seed.adminToken, 'DELETE', '/system/ping');
    expect(wrongMethod.status).toBe(405);
    expectAppError(wrongMethod.body, 405, /405/);
  });

  it('rejects malformed ids in the path before looking anything up', async () => {
    const res = await call(sim, seed.adminToken, 'GET', '/users/not-an-id');
    expect(res.status).toBe(400);
    expect(res.body.id).toBe('api.context.invalid_url_param.app_error');
  });

  it('answers a well-formed unknown id with 404 app.user.missing_account.const', async () => {
    const res = await call(sim, seed.adminToken, 'GET', `/users/${'a'.repeat(26)}`);
    expect(res.status).toBe(404);
    expectAppError(res.body, 404, 'app.user.missing_account.const');
  });
});

describe('authentication', () => {
  it('returns 401 without a token and with an unknown token', async () => {
    for (const token of [undefined, 'x'.repeat(26)]) {
      const res = await call(sim, token, 'GET', '/users/me');
      expect(res.status).toBe(401);
      expectAppError(res.body, 401, 'api.context.session_expired.app_error');
    }
  });

  it('accepts Bearer and Token schemes in any case, for PATs and sessions; "me" is the caller', async () => {
    const session = sim.createSession(seed.users.alice);
    for (const auth of [`bearer ${seed.adminToken}`, `Token ${seed.adminToken}`, `BEARER ${session}`]) {
      const res = await fetch(`${sim.url}/api/v4/users/me`, {headers: {Authorization: auth}});
      expect(res.status).toBe(200);
    }
    const me = await call(sim, session, 'GET', '/users/me');
    expect(me.body.username).toBe('alice');
  });

  it('serves ping and the client config without a session, publishing the signing key', async () => {
    expect((await call(sim, undefined, 'GET', '/system/ping')).body.status).toBe('OK');
    const config = await call(sim, undefined, 'GET', '/config/client?format=old');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({AsymmetricSigningPublicKey: sim.publicKeyBase64, SiteURL: sim.url, EnableCommands: 'true'});
    expect(config.body.Version).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await call(sim, undefined, 'GET', '/config/client?format=new')).status).toBe(501);
  });
});

describe('permissions', () => {
  it('forbids a regular user from admin work with 403 and leaves the target untouched', async () => {
    const bob = sim.createSession(seed.users.bob);
    const roles = await call(sim, bob, 'PUT', `/users/${seed.users.bob}/roles`, {roles: 'system_user system_admin'});
    expect(roles.status).toBe(403);
    expectAppError(roles.body, 403, 'api.context.permissions.app_error');
    const others = await call(sim, bob, 'GET', `/users/${seed.subject.userId}/sessions`);
    expect(others.status).toBe(403);
    const deactivate = await call(sim, bob, 'PUT', `/users/${seed.subject.userId}/active`, {active: false});
    expect(deactivate.status).toBe(403);
    expect(sim.state.user(seed.users.bob)?.roles).toBe('system_user');
    expect(sim.state.user(seed.subject.userId)?.delete_at).toBe(0);
  });

  it('lets users read their own sessions but not list their tokens without the access-token role', async () => {
    const carol = sim.createSession(seed.users.carol);
    expect((await call(sim, carol, 'GET', '/users/me/sessions')).status).toBe(200);
    expect((await call(sim, carol, 'GET', '/users/me/tokens')).status).toBe(403);
  });

  it('lets a team admin manage roles in their team only', async () => {
    const dana = sim.createSession(seed.subject.userId);
    const inEngineering = await call(sim, dana, 'PUT', `/teams/${seed.teams.engineering}/members/${seed.users.carol}/roles`, {roles: 'team_user team_admin'});
    expect(inEngineering.status).toBe(200);
    expect(sim.state.teamMember(seed.teams.engineering, seed.users.carol)).toMatchObject({roles: 'team_user team_admin', scheme_admin: true});
    const inSales = await call(sim, dana, 'PUT', `/teams/${seed.teams.sales}/members/${seed.users.erin}/roles`, {roles: 'team_user'});
    expect(inSales.status).toBe(403);
  });
});
