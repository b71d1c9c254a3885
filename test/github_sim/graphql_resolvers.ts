// GraphQL objects over the same state the REST routes use. Each object is plain data plus methods for fields with
// arguments (graphql-js's default resolver calls them), and `__typename` settles unions and interfaces. Only the
// fields listed in graphql_schema.ts SUPPORTED exist here; visibility follows the REST rules (NOT_FOUND, FORBIDDEN).
import {type ConnArgs, connection, fail} from './graphql_paging.js';
import type {PermissionSource, SimState} from './state.js';
import {lower, strongest} from './state.js';
import type {Principal, RepoPermission, SimOrg, SimRepo, SimTeam, SimUser} from './types.js';

export interface GraphqlContext {
  readonly state: SimState;
  readonly principal: Principal;
  /** Team grants per organization and login, computed once per request (a batch asks about one login 100 times). */
  readonly teamMemo: Map<string, Map<string, PermissionSource[]>>;
  readonly rateLimit: () => Record<string, unknown>;
}

type Obj = Record<string, unknown>;

const REPO_PERMISSION: Readonly<Record<RepoPermission, string>> = {
  pull: 'READ', triage: 'TRIAGE', push: 'WRITE', maintain: 'MAINTAIN', admin: 'ADMIN',
};
const SOURCE_PERMISSION: Readonly<Record<RepoPermission, string>> = {
  pull: 'READ', triage: 'READ', push: 'WRITE', maintain: 'WRITE', admin: 'ADMIN',
};
const ROLE_NAME: Readonly<Record<RepoPermission, string>> = {
  pull: 'read', triage: 'triage', push: 'write', maintain: 'maintain', admin: 'admin',
};

/** A User. Classes, not object literals with closures: a batch builds thousands of these per query. */
class UserNode {
  readonly __typename = 'User';
  constructor(private readonly ctx: GraphqlContext, private readonly u: SimUser) {}

  get login(): string {
    return this.u.login;
  }

  get databaseId(): number {
    return this.u.id;
  }

  organizationVerifiedDomainEmails({login}: {login: string}): string[] {
    const {ctx, u} = this;
    const org = ctx.state.org(login);
    if (!org || !ctx.state.administers(ctx.principal, org) || !ctx.state.isMember(org, u.login)) return [];
    return u.emails.filter((e) => org.verifiedDomains.some((d) => lower(e).endsWith(`@${lower(d)}`)));
  }

  repositories(args: ConnArgs & {isFork?: boolean | null}): Obj {
    const {ctx, u} = this;
    const own = (ctx.state.userRepos.get(lower(u.login)) ?? [])
      .filter((r) => (args.isFork === undefined || args.isFork === null || r.fork === args.isFork) && ctx.state.canSee(ctx.principal, r));
    return connection('repositories', own, args, (r) => new RepoNode(ctx, r));
  }
}

const userObject = (ctx: GraphqlContext, u: SimUser): UserNode => new UserNode(ctx, u);

function orgRef(org: SimOrg): Obj {
  return {__typename: 'Organization', login: org.login, databaseId: org.id};
}

function sourceObject(ctx: GraphqlContext, org: SimOrg, repo: SimRepo, s: PermissionSource): Obj {
  const team = s.team === undefined ? undefined : org.teams.get(s.team);
  const source = s.via === 'organization' ? orgRef(org)
    : s.via === 'team' ? {__typename: 'Team', slug: team?.slug ?? '', name: team?.name ?? '', databaseId: team?.id ?? 0}
      : new RepoNode(ctx, repo);
  return {permission: SOURCE_PERMISSION[s.permission], roleName: ROLE_NAME[s.permission], source};
}

/** A Repository; its connections are computed only when a query selects them. */
class RepoNode {
  readonly __typename = 'Repository';
  private readonly org: SimOrg | undefined;

  constructor(private readonly ctx: GraphqlContext, private readonly r: SimRepo) {
    this.org = r.ownerIsOrg ? ctx.state.org(r.owner) : undefined;
  }

  get name(): string {
    return this.r.name;
  }

  get nameWithOwner(): string {
    return `${this.r.owner}/${this.r.name}`;
  }

  get isPrivate(): boolean {
    return this.r.private;
  }

  get isFork(): boolean {
    return this.r.fork;
  }

  get isArchived(): boolean {
    return false;
  }

  get databaseId(): number {
    return this.r.id;
  }

  get owner(): Obj {
    return {__typename: this.r.ownerIsOrg ? 'Organization' : 'User', login: this.r.owner};
  }

  parent(): RepoNode | null {
    const p = this.ctx.state.parentOf(this.r);
    return p && this.ctx.state.canSee(this.ctx.principal, p) ? new RepoNode(this.ctx, p) : null;
  }

  viewerPermission(): string | null {
    const {ctx, r, org} = this;
    if (ctx.state.canAdmin(ctx.principal, r)) return 'ADMIN';
    const p = ctx.principal;
    const perm = org && p.kind === 'user' ? ctx.state.effectivePermission(org, r, p.login) : null;
    return perm === null ? null : REPO_PERMISSION[perm];
  }

  private teamGrants(org: SimOrg, login: string): Map<string, PermissionSource[]> {
    const key = `${lower(org.login)}|${lower(login)}`;
    let grants = this.ctx.teamMemo.get(key);
    if (!grants) {
      grants = this.ctx.state.teamGrants(org, login);
      this.ctx.teamMemo.set(key, grants);
    }
    return grants;
  }

  collaborators(args: ConnArgs & {affiliation?: string | null; login?: string | null; query?: string | null}): Obj {
    const {ctx, r, org} = this;
    if (!org || !ctx.state.canAdmin(ctx.principal, r)) {
      throw fail('FORBIDDEN', 'You do not have permission to view repository collaborators.');
    }
    const affiliation = args.affiliation ?? 'ALL';
    let logins: string[];
    if (args.login) logins = ctx.state.user(args.login) ? [args.login] : [];
    else logins = ctx.state.collaborators(org, r).map((c) => c.login);
    if (args.query) logins = logins.filter((l) => lower(l).includes(lower(args.query as string)));
    const rows = logins.flatMap((login) => {
      const user = ctx.state.user(login);
      const sources = ctx.state.permissionSources(org, r, login, this.teamGrants(org, login));
      if (!user || sources.length === 0) return [];
      if (affiliation === 'OUTSIDE' && org.members.has(lower(login))) return [];
      if (affiliation === 'DIRECT' && !sources.some((s) => s.via !== 'organization')) return [];
      return [{user, sources, best: strongest(sources) as RepoPermission}];
    });
    return connection('collaborators', rows, args, (row) => userObject(ctx, row.user), (row) => ({
      permission: REPO_PERMISSION[row.best],
      permissionSources: row.sources.map((s) => sourceObject(ctx, org, r, s)),
    }));
  }

  deployKeys(args: ConnArgs): Obj {
    if (!this.ctx.state.canAdmin(this.ctx.principal, this.r)) throw fail('FORBIDDEN', 'Resource not accessible by integration');
    return connection('deployKeys', [...this.r.deployKeys.values()], args, (k) => ({id: String(k.id), title: k.title}));
  }
}

export const repoObject = (ctx: GraphqlContext, r: SimRepo): RepoNode => new RepoNode(ctx, r);

function teamObject(ctx: GraphqlContext, org: SimOrg, t: SimTeam): Obj {
  return {
    __typename: 'Team', slug: t.slug, name: t.name, databaseId: t.id,
    members: (args: ConnArgs & {query?: string | null; membership?: string | null; role?: string | null}) => {
      const teams = args.membership === 'IMMEDIATE' ? [t]
        : [t, ...[...org.teams.values()].filter((c) => c !== t && ctx.state.lineage(org, c).includes(t))];
      const rows = new Map<string, {user: SimUser; role: string}>();
      for (const team of teams) {
        for (const [key, role] of team.members) {
          const user = ctx.state.users.get(key);
          if (!user || rows.has(key)) continue;
          if (args.membership === 'CHILD_TEAM' && team === t) continue;
          rows.set(key, {user, role: role === 'maintainer' ? 'MAINTAINER' : 'MEMBER'});
        }
      }
      const q = args.query ? lower(args.query) : undefined;
      const list = [...rows.values()]
        .filter((row) => (q === undefined || lower(row.user.login).includes(q) || lower(row.user.name).includes(q))
          && (!args.role || row.role === args.role))
        .sort((a, b) => lower(a.user.login).localeCompare(lower(b.user.login)));
      return connection('members', list, args, (row) => userObject(ctx, row.user), (row) => ({role: row.role}));
    },
  };
}

function orgObject(ctx: GraphqlContext, org: SimOrg): Obj {
  const owner = ctx.state.administers(ctx.principal, org);
  const member = owner || (ctx.principal.kind === 'user' && ctx.state.isMember(org, ctx.principal.login));
  return {
    ...orgRef(org),
    viewerCanAdminister: owner,
    samlIdentityProvider: () => (owner && org.samlSso ? {
      id: ctx.state.nodeId('OrganizationIdentityProvider', org.id),
      externalIdentities: (args: ConnArgs & {login?: string | null; userName?: string | null; membersOnly?: boolean | null}) => {
        const list = org.externalIdentities.filter((e) =>
          (!args.login || (e.login !== null && lower(e.login) === lower(args.login)))
          && (!args.userName || lower(e.nameId) === lower(args.userName))
          && (!args.membersOnly || (e.login !== null && ctx.state.isMember(org, e.login))));
        return connection('externalIdentities', list, args, (e) => {
          const user = e.login === null ? undefined : ctx.state.user(e.login);
          return {
            guid: e.guid, user: user ? userObject(ctx, user) : null,
            samlIdentity: {nameId: e.nameId, username: e.username, emails: e.emails.map((value) => ({value, primary: null, type: null}))},
          };
        });
      },
    } : null),
    teams: (args: ConnArgs & {userLogins?: string[] | null; query?: string | null}) => {
      const wanted = args.userLogins?.map(lower);
      const list = member ? [...org.teams.values()]
        .filter((t) => !wanted || wanted.some((l) => t.members.has(l)))
        .filter((t) => !args.query || lower(t.name).includes(lower(args.query)) || t.slug.includes(lower(args.query)))
        .sort((a, b) => a.slug.localeCompare(b.slug)) : [];
      return connection('teams', list, args, (t) => teamObject(ctx, org, t));
    },
    repositories: (args: ConnArgs & {orderBy?: {field: string; direction: string} | null}) => {
      let list = owner ? org.repoList : org.repoList.filter((r) => ctx.state.canSee(ctx.principal, r));
      if (args.orderBy?.field === 'NAME') list = [...list].sort((a, b) => lower(a.name).localeCompare(lower(b.name)));
      if (args.orderBy?.direction === 'DESC') list = [...list].reverse();
      return connection('repositories', list, args, (r) => repoObject(ctx, r));
    },
    membersWithRole: (args: ConnArgs) => {
      const list = member ? [...org.members].flatMap(([key, role]) => {
        const user = ctx.state.users.get(key);
        return user ? [{user, role: role === 'admin' ? 'ADMIN' : 'MEMBER'}] : [];
      }).sort((a, b) => a.user.id - b.user.id) : [];
      return connection('membersWithRole', list, args, (row) => userObject(ctx, row.user), (row) => ({role: row.role}));
    },
  };
}

/** The root object of every query. */
export function queryRoot(ctx: GraphqlContext): Obj {
  return {
    organization: ({login}: {login: string}) => {
      const org = ctx.state.org(login);
      if (!org) throw fail('NOT_FOUND', `Could not resolve to an Organization with the login of '${login}'.`);
      return orgObject(ctx, org);
    },
    repository: ({owner, name}: {owner: string; name: string}) => {
      const repo = ctx.state.repo(owner, name);
      if (!repo || !ctx.state.canSee(ctx.principal, repo)) {
        throw fail('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      }
      return repoObject(ctx, repo);
    },
    user: ({login}: {login: string}) => {
      const user = ctx.state.user(login);
      if (!user) throw fail('NOT_FOUND', `Could not resolve to a User with the login of '${login}'.`);
      return userObject(ctx, user);
    },
    enterprise: ({slug}: {slug: string}) => {
      const orgs = [...ctx.state.orgs.values()].filter((o) => o.enterprise !== null && lower(o.enterprise) === lower(slug));
      if (orgs.length === 0) throw fail('NOT_FOUND', `Could not resolve to an Enterprise with the slug of '${slug}'.`);
      const visible = orgs.filter((o) => ctx.state.administers(ctx.principal, o));
      return {
        slug,
        ownerInfo: visible.length === 0 ? null : {
          pendingCollaboratorInvitations: (args: ConnArgs & {query?: string | null}) => {
            const q = args.query ? lower(args.query) : undefined;
            const rows = visible.flatMap((o) => o.repoList.flatMap((r) => [...r.invitations.values()].map((inv) => ({r, inv}))))
              .filter(({inv}) => q === undefined || lower(inv.invitee).includes(q));
            return connection('pendingCollaboratorInvitations', rows, args, ({r, inv}) => {
              const invitee = ctx.state.user(inv.invitee);
              return {
                id: inv.nodeId, permission: REPO_PERMISSION[inv.permission], email: null,
                invitee: invitee ? userObject(ctx, invitee) : null, repository: repoObject(ctx, r),
              };
            });
          },
        },
      };
    },
    viewer: () => {
      const p = ctx.principal;
      const user = p.kind === 'user' ? ctx.state.user(p.login) : undefined;
      return user ? userObject(ctx, user) : {__typename: 'User', login: p.kind === 'installation' ? 'offboarding[bot]' : 'app', databaseId: 0};
    },
    rateLimit: () => ctx.rateLimit(),
  };
}
