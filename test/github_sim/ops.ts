// Building blocks for seeding the simulator's state (tests, the sandbox and the benchmark): users, organizations,
// teams, repositories, grants, invitations, keys, SAML identities, credential authorizations, token grants, Apps.
import {randomBytes} from 'node:crypto';
import {minimalRepository} from './json.js';
import {lower, type SimState} from './state.js';
import type {
  BasePermission, OrgRole, Principal, RepoPermission, SimApp, SimCredentialAuthorization, SimDeployKey,
  SimExternalIdentity, SimOrg, SimOrgInvitation, SimPatGrant, SimRepo, SimRepoInvitation, SimTeam, SimUser, TeamRole,
} from './types.js';

const EPOCH = Date.parse('2024-01-15T09:00:00Z');
/** Deterministic timestamps: the n-th created thing is n minutes after a fixed epoch. */
function stamp(id: number): string {
  return new Date(EPOCH + (id - 1000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`github simulator: unknown ${what}`);
  return value;
}

export function createUser(state: SimState, input: {login: string; name?: string; emails?: string[]; type?: 'User' | 'Bot'}): SimUser {
  if (state.user(input.login)) throw new Error(`github simulator: user ${input.login} exists`);
  const id = state.nextId();
  const user: SimUser = {
    id, login: input.login, nodeId: state.nodeId('User', id), name: input.name ?? input.login,
    emails: input.emails ?? [], type: input.type ?? 'User',
  };
  state.users.set(lower(input.login), user);
  return user;
}

export interface NewOrg {
  login: string;
  name?: string;
  basePermission?: BasePermission;
  enterpriseCloud?: boolean;
  enterprise?: string | null;
  samlSso?: boolean;
  verifiedDomains?: string[];
}

export function createOrg(state: SimState, input: NewOrg): SimOrg {
  if (state.org(input.login)) throw new Error(`github simulator: organization ${input.login} exists`);
  const id = state.nextId();
  const org: SimOrg = {
    id, nodeId: state.nodeId('Organization', id), login: input.login, name: input.name ?? input.login,
    basePermission: input.basePermission ?? 'read', enterpriseCloud: input.enterpriseCloud ?? false,
    enterprise: input.enterprise ?? null, samlSso: input.samlSso ?? false, verifiedDomains: input.verifiedDomains ?? [],
    members: new Map(), invitations: new Map(), teams: new Map(), repos: new Map(), repoList: [],
    externalIdentities: [], credentialAuthorizations: new Map(), patGrants: new Map(),
  };
  state.orgs.set(lower(input.login), org);
  return org;
}

export function addMember(state: SimState, org: string, login: string, role: OrgRole = 'member'): void {
  need(state.user(login), `user ${login}`);
  state.setMember(need(state.org(org), `organization ${org}`), login, role);
}

export function createTeam(state: SimState, org: string, input: {name: string; slug?: string; parent?: string}): SimTeam {
  const o = need(state.org(org), `organization ${org}`);
  const id = state.nextId();
  const slug = input.slug ?? input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const team: SimTeam = {
    id, nodeId: state.nodeId('Team', id), slug, name: input.name, parentSlug: input.parent ?? null,
    members: new Map(), repos: new Map(),
  };
  o.teams.set(slug, team);
  return team;
}

export function addTeamMember(state: SimState, org: string, slug: string, login: string, role: TeamRole = 'member'): void {
  const o = need(state.org(org), `organization ${org}`);
  if (!state.isMember(o, login)) throw new Error(`github simulator: ${login} is not a member of ${org}`);
  need(o.teams.get(slug), `team ${slug}`).members.set(lower(login), role);
}

export function grantTeamRepo(state: SimState, org: string, slug: string, repo: string, permission: RepoPermission): void {
  const o = need(state.org(org), `organization ${org}`);
  need(o.repos.get(lower(repo)), `repository ${repo}`);
  need(o.teams.get(slug), `team ${slug}`).repos.set(lower(repo), permission);
}

export function createRepo(state: SimState, org: string, input: {name: string; private?: boolean}): SimRepo {
  const o = need(state.org(org), `organization ${org}`);
  const id = state.nextId();
  const repo: SimRepo = {
    id, nodeId: state.nodeId('Repository', id), name: input.name, owner: o.login, ownerIsOrg: true,
    private: input.private ?? true, fork: false, parent: null, createdAt: stamp(id),
    collaborators: new Map(), invitations: new Map(), deployKeys: new Map(),
  };
  o.repos.set(lower(input.name), repo);
  o.repoList.push(repo);
  // Rendered now, while seeding, so a listing of 10,000 repositories costs the simulator no more than GitHub's would.
  if (state.base !== '') repo.json = JSON.stringify(minimalRepository(state.base, state, repo));
  return repo;
}

/** A fork owned by a user; private forks of private organization repositories follow the parent's access rules. */
export function createFork(state: SimState, parentOwner: string, parentName: string, login: string): SimRepo {
  const parent = need(state.repo(parentOwner, parentName), `repository ${parentOwner}/${parentName}`);
  const user = need(state.user(login), `user ${login}`);
  const id = state.nextId();
  const fork: SimRepo = {
    id, nodeId: state.nodeId('Repository', id), name: parent.name, owner: user.login, ownerIsOrg: false,
    private: parent.private, fork: true, parent: `${parent.owner}/${parent.name}`, createdAt: stamp(id),
    collaborators: new Map(), invitations: new Map(), deployKeys: new Map(),
  };
  const list = state.userRepos.get(lower(login)) ?? [];
  list.push(fork);
  state.userRepos.set(lower(login), list);
  return fork;
}

export function addCollaborator(state: SimState, org: string, repo: string, login: string, permission: RepoPermission): void {
  need(state.user(login), `user ${login}`);
  const r = need(state.org(org)?.repos.get(lower(repo)), `repository ${org}/${repo}`);
  r.collaborators.set(lower(login), permission);
}

export function inviteToOrg(
  state: SimState, org: string, input: {login?: string; email?: string; role?: SimOrgInvitation['role']; inviter: string},
): SimOrgInvitation {
  const o = need(state.org(org), `organization ${org}`);
  const id = state.nextId();
  const inv: SimOrgInvitation = {
    id, nodeId: state.nodeId('OrganizationInvitation', id), login: input.login ?? null, email: input.email ?? null,
    role: input.role ?? 'direct_member', inviter: input.inviter, createdAt: stamp(id),
  };
  o.invitations.set(id, inv);
  return inv;
}

export function inviteToRepo(
  state: SimState, org: string, repo: string, input: {invitee: string; inviter: string; permission?: RepoPermission},
): SimRepoInvitation {
  const r = need(state.org(org)?.repos.get(lower(repo)), `repository ${org}/${repo}`);
  need(state.user(input.invitee), `user ${input.invitee}`);
  const id = state.nextId();
  const inv: SimRepoInvitation = {
    id, nodeId: state.nodeId('RepositoryInvitation', id), invitee: input.invitee, inviter: input.inviter,
    permission: input.permission ?? 'push', createdAt: stamp(id),
  };
  r.invitations.set(id, inv);
  return inv;
}

export function addDeployKey(
  state: SimState, org: string, repo: string, input: {title: string; addedBy: string | null; readOnly?: boolean},
): SimDeployKey {
  const r = need(state.org(org)?.repos.get(lower(repo)), `repository ${org}/${repo}`);
  const id = state.nextId();
  const key: SimDeployKey = {
    id, key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomBytes(24).toString('base64')}`, title: input.title,
    readOnly: input.readOnly ?? true, createdAt: stamp(id), addedBy: input.addedBy, lastUsed: null,
  };
  r.deployKeys.set(id, key);
  return key;
}

export function addExternalIdentity(state: SimState, org: string, input: Omit<SimExternalIdentity, 'guid'>): SimExternalIdentity {
  const o = need(state.org(org), `organization ${org}`);
  const identity: SimExternalIdentity = {...input, guid: `ext-${state.nextId()}`};
  o.externalIdentities.push(identity);
  return identity;
}

export function addCredentialAuthorization(
  state: SimState, org: string,
  input: {login: string; type: SimCredentialAuthorization['type']; title?: string; note?: string; scopes?: string[]},
): SimCredentialAuthorization {
  const o = need(state.org(org), `organization ${org}`);
  const id = state.nextId();
  const isKey = input.type === 'SSH key';
  const auth: SimCredentialAuthorization = {
    credentialId: id, login: input.login, type: input.type,
    tokenLastEight: isKey ? null : randomBytes(4).toString('hex'),
    fingerprint: isKey ? `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}` : null,
    authorizedAt: stamp(id), accessedAt: null, authorizedCredentialId: id + 500_000,
    title: isKey ? input.title ?? 'laptop' : null, note: isKey ? null : input.note ?? 'token',
    scopes: input.scopes ?? (isKey ? [] : ['repo', 'read:org']),
  };
  o.credentialAuthorizations.set(id, auth);
  return auth;
}

export function addPatGrant(
  state: SimState, org: string, input: {owner: string; tokenName: string; repositorySelection?: 'all' | 'subset'},
): SimPatGrant {
  const o = need(state.org(org), `organization ${org}`);
  const id = state.nextId();
  const grant: SimPatGrant = {
    id, owner: input.owner, tokenId: id + 700_000, tokenName: input.tokenName,
    repositorySelection: input.repositorySelection ?? 'all',
    permissions: {repository: {contents: 'write', metadata: 'read'}}, grantedAt: stamp(id), expiresAt: null,
    lastUsedAt: null,
  };
  o.patGrants.set(id, grant);
  return grant;
}

/** A personal token for a user; returns the token string. `coreLimit` defaults to GitHub's 5,000 per hour. */
export function issueUserToken(state: SimState, login: string, limits: {core?: number; graphql?: number} = {}): string {
  need(state.user(login), `user ${login}`);
  const token = `ghp_${randomBytes(18).toString('base64url')}`;
  state.tokens.set(token, {principal: {kind: 'user', login}, coreLimit: limits.core ?? 5000,
    graphqlLimit: limits.graphql ?? 5000, expiresAt: null});
  return token;
}

/**
 * An installation token minted directly (what POST /app/installations/{id}/access_tokens hands out). Installations on
 * Enterprise Cloud organizations get 15,000 requests per hour, others 5,000 (rate-limits-for-the-rest-api).
 */
export function issueInstallationToken(state: SimState, org: string, installationId: number, ttlMs = 3_600_000): {token: string; expiresAt: number} {
  const o = need(state.org(org), `organization ${org}`);
  const token = `ghs_${randomBytes(18).toString('base64url')}`;
  const expiresAt = Date.now() + ttlMs;
  const principal: Principal = {kind: 'installation', installationId, org: o.login};
  state.tokens.set(token, {principal, coreLimit: o.enterpriseCloud ? 15_000 : 5000,
    graphqlLimit: o.enterpriseCloud ? 10_000 : 5000, expiresAt});
  return {token, expiresAt};
}

/** Registers a GitHub App by the public half of its signing key, installed on the given organizations. */
export function createApp(
  state: SimState, input: {slug: string; publicKeyPem: string; orgs: string[]; permissions?: Record<string, string>},
): SimApp {
  const id = state.nextId();
  const installations = new Map<string, number>();
  for (const org of input.orgs) {
    need(state.org(org), `organization ${org}`);
    installations.set(lower(org), state.nextId());
  }
  const app: SimApp = {
    id, slug: input.slug, publicKeyPem: input.publicKeyPem, installations,
    permissions: input.permissions ?? {
      members: 'write', administration: 'write', organization_administration: 'write',
      organization_personal_access_tokens: 'write', metadata: 'read',
    },
  };
  state.apps.set(id, app);
  return app;
}
