// The simulator's state and GitHub's access rules over it: who can reach which repository and why (owner, base
// permission, team, direct grant), and what removing a member or an outside collaborator takes away with it.
import type {
  BasePermission, OrgRole, Principal, RepoPermission, SimApp, SimOrg, SimRepo, SimTeam, SimUser,
} from './types.js';
import {REPO_PERMISSIONS} from './types.js';

export interface TokenRecord {
  readonly principal: Principal;
  /** Primary limits of this token per hour: REST `core` and GraphQL points. */
  readonly coreLimit: number;
  readonly graphqlLimit: number;
  readonly expiresAt: number | null;
}

export interface PermissionSource {
  readonly via: 'organization' | 'team' | 'repository';
  readonly permission: RepoPermission;
  /** Team slug when `via` is team. */
  readonly team?: string;
}

const BASE_TO_REPO: Readonly<Record<BasePermission, RepoPermission | null>> = {
  none: null, read: 'pull', write: 'push', admin: 'admin',
};

export const lower = (s: string): string => s.toLowerCase();

export function maxPermission(a: RepoPermission | null, b: RepoPermission | null): RepoPermission | null {
  if (a === null) return b;
  if (b === null) return a;
  return REPO_PERMISSIONS.indexOf(a) >= REPO_PERMISSIONS.indexOf(b) ? a : b;
}

export function strongest(sources: readonly PermissionSource[]): RepoPermission | null {
  return sources.reduce<RepoPermission | null>((best, s) => maxPermission(best, s.permission), null);
}

export class SimState {
  readonly users = new Map<string, SimUser>();
  readonly orgs = new Map<string, SimOrg>();
  /** Repositories owned by users (their forks), by lower-cased owner login. */
  readonly userRepos = new Map<string, SimRepo[]>();
  readonly apps = new Map<number, SimApp>();
  readonly tokens = new Map<string, TokenRecord>();
  /** The simulator's base URL, for URLs inside rendered bodies; set when the server listens. */
  base = '';
  /** The custom-property listing misses this many of each organization's newest repositories (a lagging index). */
  propertyIndexLag = 0;
  private lastId = 1000;

  /** Forgets everything (the benchmark seeds the same organization twice). */
  clear(): void {
    this.users.clear();
    this.orgs.clear();
    this.userRepos.clear();
    this.apps.clear();
    this.tokens.clear();
    this.lastId = 1000;
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** A node id in GitHub's legacy base64 form ("04:User1234"). */
  nodeId(type: string, id: number): string {
    return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
  }

  user(login: string): SimUser | undefined {
    return this.users.get(lower(login));
  }

  org(login: string): SimOrg | undefined {
    return this.orgs.get(lower(login));
  }

  /** An organization's or a user's repository. */
  repo(owner: string, name: string): SimRepo | undefined {
    const org = this.org(owner);
    if (org) return org.repos.get(lower(name));
    return this.userRepos.get(lower(owner))?.find((r) => lower(r.name) === lower(name));
  }

  isOwner(org: SimOrg, login: string): boolean {
    return org.members.get(lower(login)) === 'admin';
  }

  isMember(org: SimOrg, login: string): boolean {
    return org.members.has(lower(login));
  }

  /** Teams the person is an immediate member of. */
  teamsOf(org: SimOrg, login: string): SimTeam[] {
    const key = lower(login);
    return [...org.teams.values()].filter((t) => t.members.has(key));
  }

  /** The team and its parents: members of a child team inherit the parent teams' repository access. */
  lineage(org: SimOrg, team: SimTeam): SimTeam[] {
    const out: SimTeam[] = [];
    let current: SimTeam | undefined = team;
    while (current && !out.includes(current)) {
      out.push(current);
      current = current.parentSlug === null ? undefined : org.teams.get(current.parentSlug);
    }
    return out;
  }

  /** The repository grants `login` holds through teams (and their parent teams), by lower-cased repository name. */
  teamGrants(org: SimOrg, login: string): Map<string, PermissionSource[]> {
    const grants = new Map<string, PermissionSource[]>();
    for (const team of this.teamsOf(org, login)) {
      for (const t of this.lineage(org, team)) {
        for (const [repo, permission] of t.repos) {
          const list = grants.get(repo) ?? [];
          list.push({via: 'team', permission, team: t.slug});
          grants.set(repo, list);
        }
      }
    }
    return grants;
  }

  /**
   * Why `login` can reach `repo` (empty: no access). `teamGrants` may be passed in when computed once per request
   * (a batch asks about one login on hundreds of repositories).
   */
  permissionSources(org: SimOrg, repo: SimRepo, login: string, teamGrants?: ReadonlyMap<string, readonly PermissionSource[]>): PermissionSource[] {
    const key = lower(login);
    const sources: PermissionSource[] = [];
    const role = org.members.get(key);
    if (role === 'admin') sources.push({via: 'organization', permission: 'admin'});
    else if (role === 'member') {
      const base = BASE_TO_REPO[org.basePermission];
      if (base !== null) sources.push({via: 'organization', permission: base});
    }
    if (role !== undefined) sources.push(...((teamGrants ?? this.teamGrants(org, login)).get(lower(repo.name)) ?? []));
    const direct = repo.collaborators.get(key);
    if (direct !== undefined) sources.push({via: 'repository', permission: direct});
    return sources;
  }

  effectivePermission(org: SimOrg, repo: SimRepo, login: string, teamGrants?: ReadonlyMap<string, readonly PermissionSource[]>): RepoPermission | null {
    return strongest(this.permissionSources(org, repo, login, teamGrants));
  }

  /** Users who can reach the repository, with their effective permission. */
  collaborators(org: SimOrg, repo: SimRepo): {login: string; permission: RepoPermission}[] {
    const logins = new Set<string>([...repo.collaborators.keys()]);
    for (const key of org.members.keys()) logins.add(key);
    const out: {login: string; permission: RepoPermission}[] = [];
    for (const key of logins) {
      const permission = this.effectivePermission(org, repo, key);
      const user = this.users.get(key);
      if (permission !== null && user) out.push({login: user.login, permission});
    }
    return out.sort((a, b) => lower(a.login).localeCompare(lower(b.login)));
  }

  /**
   * Removes an organization member (or cancels their invitation): "they will no longer have any access to the
   * organization's repositories" (docs: remove-member), so teams and direct grants go; their private forks of the
   * organization's private repositories are deleted. Returns false when they were neither member nor invited.
   */
  removeMember(org: SimOrg, login: string): boolean {
    const key = lower(login);
    let changed = org.members.delete(key);
    for (const [id, inv] of org.invitations) {
      if (inv.login !== null && lower(inv.login) === key) {
        org.invitations.delete(id);
        changed = true;
      }
    }
    if (!changed) return false;
    for (const team of org.teams.values()) team.members.delete(key);
    this.dropRepositoryAccess(org, key);
    return true;
  }

  /** Outside collaborator removal: "will remove them from all the organization's repositories". */
  removeOutsideCollaborator(org: SimOrg, login: string): void {
    this.dropRepositoryAccess(org, lower(login));
  }

  private dropRepositoryAccess(org: SimOrg, key: string): void {
    for (const repo of org.repoList) repo.collaborators.delete(key);
    const forks = this.userRepos.get(key);
    if (forks) {
      const kept = forks.filter((f) => {
        const parent = f.parent === null ? undefined : this.parentOf(f);
        return !(f.private && parent !== undefined && lower(parent.owner) === lower(org.login) && parent.private);
      });
      this.userRepos.set(key, kept);
    }
  }

  parentOf(fork: SimRepo): SimRepo | undefined {
    if (fork.parent === null) return undefined;
    const [owner, name] = fork.parent.split('/');
    return owner !== undefined && name !== undefined ? this.repo(owner, name) : undefined;
  }

  /** Whether the principal administers the organization (owner, or the App installed on it). */
  administers(principal: Principal, org: SimOrg): boolean {
    if (principal.kind === 'installation') return lower(principal.org) === lower(org.login);
    if (principal.kind === 'user') return this.isOwner(org, principal.login);
    return false;
  }

  /** Whether the principal can see the repository at all (GitHub answers 404 otherwise). */
  canSee(principal: Principal, repo: SimRepo): boolean {
    if (!repo.private) return true;
    // A private fork of an organization's private repository follows the parent's access (docs: about forks).
    const parent = repo.ownerIsOrg ? undefined : this.parentOf(repo);
    if (parent?.ownerIsOrg && parent.private && this.canSee(principal, parent)) return true;
    const org = repo.ownerIsOrg ? this.org(repo.owner) : undefined;
    if (org && this.administers(principal, org)) return true;
    if (principal.kind !== 'user') return false;
    if (!org) return lower(repo.owner) === lower(principal.login);
    return this.effectivePermission(org, repo, principal.login) !== null;
  }

  /** Whether the principal administers the repository (needed to manage collaborators, invitations and keys). */
  canAdmin(principal: Principal, repo: SimRepo): boolean {
    const org = repo.ownerIsOrg ? this.org(repo.owner) : undefined;
    if (org && this.administers(principal, org)) return true;
    if (principal.kind !== 'user') return false;
    if (!org) return lower(repo.owner) === lower(principal.login);
    return this.effectivePermission(org, repo, principal.login) === 'admin';
  }

  setMember(org: SimOrg, login: string, role: OrgRole): void {
    org.members.set(lower(login), role);
  }
}
