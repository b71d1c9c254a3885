// Organization-level actions: SSO credential authorizations, fine-grained token grants, membership (remove, or demote
// an owner), outside collaborator status, invitations and team memberships. Each reads the target state first.
import {PermanentError} from '../../engine/errors.js';
import {administers, confirmedGone, handler, orGone} from './action_kit.js';
import {statusOf} from './client.js';
import {NEEDS} from './errors.js';
import {paramNumber, paramString, paramStrings, sameLogin} from './model.js';
import {scanRepoAccess} from './repo_scan.js';

interface Membership {
  state: string;
  role: string;
}

/** The membership (undefined: none, confirmed), read next to the organization-admin check. */
async function membershipOf(api: Parameters<typeof administers>[0], login: string): Promise<Membership | undefined> {
  const [m, isAdmin] = await Promise.all([
    orGone(api.request('GET /orgs/{org}/memberships/{username}', {org: api.org, username: login})),
    administers(api),
  ]);
  if (m === undefined) confirmedGone(isAdmin, `the membership of ${login} in ${api.org}`);
  return m ? {state: m.data.state, role: m.data.role} : undefined;
}

export const revokeCredentialAuthorization = handler({
  needs: NEEDS.sso,
  async read(api, step) {
    const id = paramNumber(step, 'credential_id');
    const list = await api.allPages<{credential_id: number}>('/orgs/{org}/credential-authorizations',
      {org: api.org, login: paramString(step, 'login')});
    const present = list.some((c) => c.credential_id === id);
    return {satisfied: !present, evidence: {org: api.org, credential_id: id, authorized: present},
      remaining: present ? `credential ${id} is still authorized for ${api.org}` : undefined};
  },
  async act(api, step) {
    const id = paramNumber(step, 'credential_id');
    await api.untyped('DELETE', '/orgs/{org}/credential-authorizations/{credential_id}', {org: api.org, credential_id: id});
    return {org: api.org, credential_id: id, revoked: true};
  },
});

export const revokePatGrant = handler({
  needs: NEEDS.pat,
  async read(api, step) {
    const id = paramNumber(step, 'grant_id');
    const list = await api.allPages<{id: number}>('/orgs/{org}/personal-access-tokens',
      {org: api.org, owner: [paramString(step, 'login')]});
    const present = list.some((g) => g.id === id);
    return {satisfied: !present, evidence: {org: api.org, grant_id: id, granted: present},
      remaining: present ? `fine-grained token grant ${id} still reaches ${api.org}` : undefined};
  },
  async act(api, step) {
    const id = paramNumber(step, 'grant_id');
    await api.request('POST /orgs/{org}/personal-access-tokens/{pat_id}', {org: api.org, pat_id: id, action: 'revoke'});
    return {org: api.org, grant_id: id, revoked: true};
  },
});

export const removeFromOrg = handler<Membership | undefined>({
  needs: NEEDS.org,
  async read(api, step) {
    const login = paramString(step, 'login');
    const m = await membershipOf(api, login);
    return {satisfied: m === undefined, state: m,
      evidence: {org: api.org, login, membership: m ? `${m.state} ${m.role}` : 'none'},
      remaining: m ? `${login} is still an ${m.state} ${m.role} of ${api.org}` : undefined};
  },
  async act(api, step, before) {
    const login = paramString(step, 'login');
    // Removes an active member from the organization, its teams and its repositories, or cancels a pending invitation.
    await api.request('DELETE /orgs/{org}/memberships/{username}', {org: api.org, username: login});
    return {org: api.org, login, removed: true, role_before: before.state?.role ?? null,
      state_before: before.state?.state ?? null};
  },
});

export const demoteOrgOwner = handler<Membership | undefined>({
  needs: NEEDS.org,
  async read(api, step) {
    const login = paramString(step, 'login');
    const m = await membershipOf(api, login);
    const owner = m?.role === 'admin';
    return {satisfied: !owner, state: m, evidence: {org: api.org, login, role: m?.role ?? 'none'},
      remaining: owner ? `${login} is still an owner of ${api.org}` : undefined};
  },
  async act(api, step) {
    const login = paramString(step, 'login');
    await api.request('PUT /orgs/{org}/memberships/{username}', {org: api.org, username: login, role: 'member'});
    return {org: api.org, login, role_before: 'admin', role_now: 'member'};
  },
});

export const removeOutsideCollaborator = handler<number>({
  needs: NEEDS.org,
  async read(api, step) {
    const login = paramString(step, 'login');
    const repos = paramStrings(step, 'repos');
    const left = (await scanRepoAccess(api, login, repos, false)).filter((a) => a.direct !== null).map((a) => a.repo);
    return {satisfied: left.length === 0, state: left.length,
      evidence: {org: api.org, login, repos_checked: repos.length, repos_with_access: left},
      remaining: left.length > 0 ? `${login} still has direct access to ${left.length} ${api.org} repositories` : undefined};
  },
  async act(api, step) {
    const login = paramString(step, 'login');
    try {
      await api.request('DELETE /orgs/{org}/outside_collaborators/{username}', {org: api.org, username: login});
    } catch (e) {
      if (statusOf(e) === 422) {
        throw new PermanentError(`${login} became a member of ${api.org} since the inventory; re-plan the run.`, {cause: e});
      }
      throw e;
    }
    return {org: api.org, login, removed_from_all_repositories: true};
  },
});

export const cancelOrgInvitation = handler({
  needs: NEEDS.org,
  async read(api, step) {
    const id = paramNumber(step, 'invitation_id');
    const list = await api.allPages<{id: number}>('/orgs/{org}/invitations', {org: api.org});
    const present = list.some((i) => i.id === id);
    return {satisfied: !present, evidence: {org: api.org, invitation_id: id, pending: present},
      remaining: present ? `invitation ${id} to ${api.org} is still pending` : undefined};
  },
  async act(api, step) {
    const id = paramNumber(step, 'invitation_id');
    await api.request('DELETE /orgs/{org}/invitations/{invitation_id}', {org: api.org, invitation_id: id});
    return {org: api.org, invitation_id: id, cancelled: true};
  },
});

export const removeFromTeam = handler({
  needs: NEEDS.org,
  async read(api, step) {
    const login = paramString(step, 'login');
    const team = paramString(step, 'team');
    const [m, isAdmin] = await Promise.all([
      orGone(api.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
        {org: api.org, team_slug: team, username: login})),
      administers(api),
    ]);
    if (m === undefined) confirmedGone(isAdmin, `the membership of ${login} in team ${api.org}/${team}`);
    const member = m !== undefined && sameLogin(m.data.state, 'active');
    return {satisfied: !member, evidence: {org: api.org, team, login, role: m?.data.role ?? 'none'},
      remaining: member ? `${login} is still in team ${api.org}/${team}` : undefined};
  },
  async act(api, step) {
    const login = paramString(step, 'login');
    const team = paramString(step, 'team');
    await api.request('DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}',
      {org: api.org, team_slug: team, username: login});
    return {org: api.org, team, login, removed: true};
  },
});
