// REST routes of repositories: organization listings (cheap at 10,000 repositories), collaborators with GitHub's
// rules for members and base permissions, repository invitations and deploy keys.
import {notFound, validationFailed} from './errors.js';
import * as J from './json.js';
import {adminRepo, type Handler, intParam, knownUser, noContent, orgOf, paginate, type RouteContext, visibleRepo} from './route_kit.js';
import {lower} from './state.js';
import {REPO_PERMISSIONS, type RepoPermission, type SimRepo} from './types.js';

const BASE_RANK: Readonly<Record<string, number>> = {none: -1, read: 0, write: 2, admin: 4};

function repoJson(ctx: RouteContext, r: SimRepo): string {
  r.json ??= JSON.stringify(J.minimalRepository(ctx.base, ctx.state, r));
  return r.json;
}

/** `pull`, `push`, ... or one of the role names GitHub accepts for them. */
function permissionOf(raw: unknown): RepoPermission | undefined {
  const aliases: Record<string, RepoPermission> = {read: 'pull', write: 'push'};
  const value = typeof raw === 'string' ? aliases[raw] ?? raw : 'push';
  return (REPO_PERMISSIONS as readonly string[]).includes(value) ? value as RepoPermission : undefined;
}

export const REPO_ROUTES: Readonly<Record<string, Handler>> = {
  'repos/list-for-org': (ctx) => {
    const org = orgOf(ctx);
    const q = ctx.url.searchParams;
    const type = q.get('type') ?? 'all';
    const sort = q.get('sort') ?? 'created';
    const direction = q.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
    const seesAll = ctx.state.administers(ctx.principal, org);
    let list = seesAll ? org.repoList : org.repoList.filter((r) => ctx.state.canSee(ctx.principal, r));
    if (type === 'public') list = list.filter((r) => !r.private);
    else if (type === 'private') list = list.filter((r) => r.private);
    else if (type === 'forks') list = list.filter((r) => r.fork);
    else if (type === 'sources') list = list.filter((r) => !r.fork);
    if (sort === 'full_name') list = [...list].sort((a, b) => lower(a.name).localeCompare(lower(b.name)));
    // repoList is in creation order; other sort keys are all creation-ordered in the simulator.
    if (direction === 'desc') list = [...list].reverse();
    return paginate(ctx, list, (r) => repoJson(ctx, r));
  },

  // Every repository with its custom property values (none are set in the simulator). `propertyIndexLag` leaves out
  // the newest repositories, the way a lagging index would, so clients can be tested on cross-checking the count.
  'orgs/custom-properties-for-repos-get-organization-values': (ctx) => {
    const org = orgOf(ctx);
    if (!ctx.state.administers(ctx.principal, org) && !(ctx.principal.kind === 'user' && ctx.state.isMember(org, ctx.principal.login))) {
      throw notFound();
    }
    const indexed = org.repoList.slice(0, Math.max(0, org.repoList.length - ctx.state.propertyIndexLag));
    return paginate(ctx, indexed, (r) => `{"repository_id":${r.id},"repository_name":${JSON.stringify(r.name)},`
      + `"repository_full_name":${JSON.stringify(`${r.owner}/${r.name}`)},"properties":[]}`);
  },

  'repos/list-collaborators': (ctx) => {
    const repo = adminRepo(ctx);
    const org = ctx.state.org(repo.owner);
    const affiliation = ctx.url.searchParams.get('affiliation') ?? 'all';
    let list = org ? ctx.state.collaborators(org, repo) : [];
    if (org && affiliation === 'outside') list = list.filter((c) => !org.members.has(lower(c.login)));
    if (org && affiliation === 'direct') {
      list = list.filter((c) => ctx.state.permissionSources(org, repo, c.login).some((s) => s.via !== 'organization'));
    }
    return paginate(ctx, list, (c) => {
      const user = ctx.state.user(c.login);
      return user ? JSON.stringify(J.collaborator(ctx.base, user, c.permission)) : 'null';
    });
  },

  'repos/check-collaborator': (ctx) => {
    const repo = visibleRepo(ctx);
    const org = ctx.state.org(repo.owner);
    const login = knownUser(ctx);
    if (!org || ctx.state.effectivePermission(org, repo, login) === null) throw notFound();
    return noContent;
  },

  'repos/add-collaborator': (ctx) => {
    const repo = adminRepo(ctx);
    const org = ctx.state.org(repo.owner);
    const user = ctx.state.user(knownUser(ctx));
    const permission = permissionOf((ctx.body as {permission?: unknown} | undefined)?.permission);
    if (!org || !user) throw notFound();
    if (permission === undefined) throw validationFailed('Validation Failed', [{resource: 'Repository', field: 'permission', code: 'invalid'}]);
    const key = lower(user.login);
    if (org.members.has(key)) {
      // "the role being given must be equal to or higher than the org base permission" (docs: add-collaborator).
      if (REPO_PERMISSIONS.indexOf(permission) < (BASE_RANK[org.basePermission] ?? -1)) {
        throw validationFailed(`Cannot assign ${user.login} permission of ${permission}`);
      }
      repo.collaborators.set(key, permission);
      return noContent;
    }
    if (repo.collaborators.has(key)) {
      repo.collaborators.set(key, permission);
      return noContent;
    }
    const existing = [...repo.invitations.values()].find((i) => lower(i.invitee) === key);
    const id = existing?.id ?? ctx.state.nextId();
    const invitation = {
      id, nodeId: ctx.state.nodeId('RepositoryInvitation', id), invitee: user.login,
      inviter: ctx.principal.kind === 'user' ? ctx.principal.login : 'simulator', permission,
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    repo.invitations.set(id, invitation);
    return {status: 201, json: J.repoInvitation(ctx.base, ctx.state, repo, invitation)};
  },

  'repos/remove-collaborator': (ctx) => {
    const repo = adminRepo(ctx);
    const key = lower(knownUser(ctx));
    repo.collaborators.delete(key);
    // "deletes their own fork of the repo" when it is private (docs: remove-collaborator).
    const forks = ctx.state.userRepos.get(key);
    if (forks && repo.private) {
      ctx.state.userRepos.set(key, forks.filter((f) => f.parent !== `${repo.owner}/${repo.name}`));
    }
    return noContent;
  },

  'repos/list-invitations': (ctx) => {
    const repo = adminRepo(ctx);
    const list = [...repo.invitations.values()].sort((a, b) => a.id - b.id);
    return paginate(ctx, list, (i) => JSON.stringify(J.repoInvitation(ctx.base, ctx.state, repo, i)));
  },

  'repos/delete-invitation': (ctx) => {
    const repo = adminRepo(ctx);
    if (!repo.invitations.delete(intParam(ctx, 'invitation_id'))) throw notFound();
    return noContent;
  },

  'repos/list-deploy-keys': (ctx) => {
    const repo = adminRepo(ctx);
    const list = [...repo.deployKeys.values()].sort((a, b) => a.id - b.id);
    return paginate(ctx, list, (k) => JSON.stringify(J.deployKey(ctx.base, repo, k)));
  },

  'repos/get-deploy-key': (ctx) => {
    const repo = adminRepo(ctx);
    const key = repo.deployKeys.get(intParam(ctx, 'key_id'));
    if (!key) throw notFound();
    return {json: J.deployKey(ctx.base, repo, key)};
  },

  'repos/delete-deploy-key': (ctx) => {
    const repo = adminRepo(ctx);
    if (!repo.deployKeys.delete(intParam(ctx, 'key_id'))) throw notFound();
    return noContent;
  },
};
