// Repository-level actions: direct grants (removed, or lowered to read), pending repository invitations and deploy
// keys. The grant actions cover one organization's repositories in one step: they read all of them in batched
// GraphQL queries and change only what is left, so a repeat or a retry touches nothing already done.
import {PermanentError} from '../../engine/errors.js';
import type {JsonObject} from '../../engine/types.js';
import {administers, confirmedGone, handler, orGone} from './action_kit.js';
import {statusOf, vendorMessage} from './client.js';
import {NEEDS} from './errors.js';
import {isAboveRead, paramNumber, paramString, paramStrings, sameLogin} from './model.js';
import {type RepoAccess, scanRepoAccess} from './repo_scan.js';

function grantsLeft(access: readonly RepoAccess[], aboveReadOnly: boolean): RepoAccess[] {
  return access.filter((a) => a.direct !== null && (!aboveReadOnly || isAboveRead(a.direct)));
}

const listed = (left: readonly RepoAccess[]): JsonObject[] => left.map((a) => ({repo: a.repo, permission: a.direct}));

export const removeRepoAccess = handler<RepoAccess[]>({
  needs: NEEDS.repo,
  async read(api, step) {
    const login = paramString(step, 'login');
    const repos = paramStrings(step, 'repos');
    const left = grantsLeft(await scanRepoAccess(api, login, repos, false), false);
    return {satisfied: left.length === 0, state: left,
      evidence: {org: api.org, login, repos_checked: repos.length, direct_grants: listed(left)},
      remaining: left.length > 0 ? `${login} still has direct access to ${left.length} ${api.org} repositories` : undefined};
  },
  async act(api, step, before) {
    const login = paramString(step, 'login');
    const left = before.state ?? [];
    await Promise.all(left.map((a) =>
      api.request('DELETE /repos/{owner}/{repo}/collaborators/{username}', {owner: api.org, repo: a.repo, username: login})));
    return {org: api.org, login, removed: listed(left)};
  },
});

export const setRepoAccessRead = handler<RepoAccess[]>({
  needs: NEEDS.repo,
  async read(api, step) {
    const login = paramString(step, 'login');
    const repos = paramStrings(step, 'repos');
    const left = grantsLeft(await scanRepoAccess(api, login, repos, false), true);
    return {satisfied: left.length === 0, state: left,
      evidence: {org: api.org, login, repos_checked: repos.length, above_read: listed(left)},
      remaining: left.length > 0
        ? `${login} still has more than read access to ${left.length} ${api.org} repositories` : undefined};
  },
  async act(api, step, before) {
    const login = paramString(step, 'login');
    const left = before.state ?? [];
    const refused: string[] = [];
    await Promise.all(left.map(async (a) => {
      try {
        await api.request('PUT /repos/{owner}/{repo}/collaborators/{username}',
          {owner: api.org, repo: a.repo, username: login, permission: 'pull'});
      } catch (e) {
        // "the role being given must be equal to or higher than the org base permission" (docs: add-collaborator)
        if (statusOf(e) !== 422) throw e;
        refused.push(`${a.repo} (${vendorMessage(e)})`);
      }
    }));
    if (refused.length > 0) {
      throw new PermanentError(`GitHub refused read access for ${login} on ${refused.length} repositories of ${api.org}, `
        + `usually because the organization's base permission is higher: ${refused.slice(0, 5).join('; ')}`);
    }
    return {org: api.org, login, lowered_to_read: listed(left)};
  },
});

interface RepoInvitation {
  id: number;
  invitee: {login: string} | null;
}

export const cancelRepoInvitation = handler<number[]>({
  needs: NEEDS.repo,
  async read(api, step) {
    const login = paramString(step, 'login');
    const repo = paramString(step, 'repo');
    const [list, isAdmin] = await Promise.all([
      orGone(api.allPages<RepoInvitation>('/repos/{owner}/{repo}/invitations', {owner: api.org, repo})),
      administers(api),
    ]);
    if (list === undefined) confirmedGone(isAdmin, `the invitations of ${api.org}/${repo}`);
    const ids = (list ?? []).filter((i) => sameLogin(i.invitee?.login, login)).map((i) => i.id);
    return {satisfied: ids.length === 0, state: ids, evidence: {org: api.org, repo, login, pending_invitations: ids},
      remaining: ids.length > 0 ? `${login} still has a pending invitation to ${api.org}/${repo}` : undefined};
  },
  async act(api, step, before) {
    const repo = paramString(step, 'repo');
    const ids = before.state ?? [];
    for (const id of ids) {
      await api.request('DELETE /repos/{owner}/{repo}/invitations/{invitation_id}', {owner: api.org, repo, invitation_id: id});
    }
    return {org: api.org, repo, cancelled: ids};
  },
});

export const removeDeployKey = handler({
  needs: NEEDS.repo,
  async read(api, step) {
    const repo = paramString(step, 'repo');
    const id = paramNumber(step, 'key_id');
    const [list, isAdmin] = await Promise.all([
      orGone(api.allPages<{id: number}>('/repos/{owner}/{repo}/keys', {owner: api.org, repo})),
      administers(api),
    ]);
    if (list === undefined) confirmedGone(isAdmin, `the deploy keys of ${api.org}/${repo}`);
    const present = (list ?? []).some((k) => k.id === id);
    return {satisfied: !present, evidence: {org: api.org, repo, key_id: id, present},
      remaining: present ? `deploy key ${id} is still on ${api.org}/${repo}` : undefined};
  },
  async act(api, step) {
    const repo = paramString(step, 'repo');
    const id = paramNumber(step, 'key_id');
    await api.request('DELETE /repos/{owner}/{repo}/keys/{key_id}', {owner: api.org, repo, key_id: id});
    return {org: api.org, repo, key_id: id, deleted: true};
  },
});
