// Read-only inventory of one GitHub login, per organization and all organizations at once: membership and role,
// teams (maintainer or member), a pending invitation, direct repository grants (batched GraphQL), pending repository
// invitations, SSO credential authorizations, fine-grained token grants, deploy keys they added; and what no API
// revokes (their forks, local clones) as residual findings. Independent reads go out together, so the run's length is
// a handful of round trips however many repositories there are.
import {PermanentError} from '../../engine/errors.js';
import type {Finding, Identity, JsonObject, ProviderContext} from '../../engine/types.js';
import {connect, type GithubClient, isNotFound} from './client.js';
import type {GithubConfig} from './config.js';
import {githubError, graphqlError, NEEDS} from './errors.js';
import {dataString, type FindingKind, fingerprint, type Permission, PROVIDER_ID, sameLogin} from './model.js';
import {
  collectPages, FORKS_OF, type ForksOfData, PENDING_REPO_INVITATIONS, type PendingRepoInvitationsData, TEAMS_OF,
  type TeamsOfData,
} from './queries.js';
import {type RepoAccess, scanOrganization} from './repo_scan.js';

type Risk = Finding['risk'];

interface Ctx {
  readonly login: string;
  readonly email: string;
  readonly finding: (
    kind: FindingKind, target: string, label: string, risk: Risk, data: JsonObject, residual?: boolean) => Finding;
}

export async function discover(ctx: ProviderContext<GithubConfig>, identity: Identity): Promise<Finding[]> {
  if (identity.provider !== PROVIDER_ID || identity.confidence !== 'exact') return [];
  const cfg = ctx.config;
  const login = identity.id;
  const c: Ctx = {
    login, email: dataString(identity.data, 'email'),
    finding: (kind, target, label, risk, data, residual = false) => ({
      provider: PROVIDER_ID, kind, id: `${kind}:${target}`, label, identityId: login, risk, residual, data: {login, ...data},
    }),
  };
  try {
    const clients = await Promise.all(cfg.orgs.map((org) => connect(ctx, org)));
    const first = clients[0] as GithubClient;
    const [perOrg, forks, invitations] = await Promise.all([
      Promise.all(clients.map((api) => discoverOrg(api, cfg, c))),
      discoverForks(first, c, cfg.orgs),
      cfg.enterprise === undefined ? undefined : enterpriseRepoInvitations(first, cfg.enterprise, login),
    ]);
    const found = [...perOrg.flatMap((o) => o.findings), ...forks];
    for (const o of perOrg) {
      if (!invitations) found.push(...o.repoInvitations);
      else if (invitations.ok) {
        found.push(...invitations.list.filter((i) => sameLogin(i.org, o.org))
          .map((i) => repoInvitationFinding(c, i.org, i.repo, i.permission)));
      } else {
        found.push(c.finding('coverage_gap', `${o.org}/repo_invitations`, `Pending repository invitations in ${o.org} were not checked`,
          'low', {org: o.org, what: 'repo_invitations', reason: invitations.reason}));
      }
    }
    return found;
  } catch (e) {
    throw githubError(e, `read the GitHub access of ${login}`);
  }
}

interface OrgResult {
  readonly org: string;
  readonly findings: Finding[];
  /** Found repository by repository (no enterprise configured). */
  readonly repoInvitations: Finding[];
}

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

interface TeamRole {
  slug: string;
  name: string;
  maintainer: boolean;
}

async function teamsOf(api: GithubClient, login: string): Promise<{sso: boolean; teams: TeamRole[]}> {
  type TeamNode = NonNullable<TeamsOfData['organization']>['teams']['nodes'][number] & object;
  const {nodes, data} = await collectPages<TeamsOfData, TeamNode>(api, TEAMS_OF, {org: api.org, login},
    (d) => d?.organization?.teams, (errors) => graphqlError(errors, `read the teams of ${login} in ${api.org}`));
  const teams = nodes.flatMap((t) => {
    const edge = t.members.edges.find((e) => sameLogin(e?.node.login, login));
    return edge ? [{slug: t.slug, name: t.name, maintainer: edge.role === 'MAINTAINER'}] : [];
  });
  return {sso: Boolean(data?.organization?.samlIdentityProvider), teams};
}

interface OrgInvitation {
  id: number;
  login: string | null;
  email: string | null;
  role: string;
}

interface CredentialAuthorization {
  credential_id: number;
  login: string;
  credential_type: string;
  fingerprint?: string;
  authorized_credential_title?: string | null;
  authorized_credential_note?: string | null;
  credential_authorized_at: string;
  credential_accessed_at: string | null;
}

interface PatGrant {
  id: number;
  token_id: number;
  token_name: string;
  repository_selection: string;
  token_expires_at: string | null;
  owner: {login: string};
}

interface DeployKey {
  id: number;
  key: string;
  title: string;
  read_only: boolean;
  created_at: string;
  added_by?: string | null;
  last_used?: string | null;
}

async function discoverOrg(api: GithubClient, cfg: GithubConfig, c: Ctx): Promise<OrgResult> {
  const org = api.org;
  const {login} = c;
  // Deploy keys are listed (REST: only it says who added a key) for the repositories a batch found keys on.
  const keyLists = (batch: RepoAccess[]): Promise<{repo: string; keys: DeployKey[]}[]> =>
    Promise.all(batch.filter((a) => a.deployKeys > 0).map(async (a) =>
      ({repo: a.repo, keys: await api.allPages<DeployKey>('/repos/{owner}/{repo}/keys', {owner: org, repo: a.repo})})));
  const orgInfo = api.request('GET /orgs/{org}', {org});
  // Owners see the private count; without it the scan cannot trust the light listing and reads the full one.
  const repoCount = orgInfo.then(
    (i) => (i.data.total_private_repos === undefined ? undefined : i.data.public_repos + i.data.total_private_repos),
    () => undefined);
  const [info, membership, teams, invitations, scan, credentials, grants] = await Promise.all([
    orgInfo,
    orNull(api.request('GET /orgs/{org}/memberships/{username}', {org, username: login})),
    teamsOf(api, login),
    api.allPages<OrgInvitation>('/orgs/{org}/invitations', {org}),
    scanOrganization(api, login, repoCount, keyLists),
    orNull(api.allPages<CredentialAuthorization>('/orgs/{org}/credential-authorizations', {org, login})),
    api.authKind === 'app' ? api.allPages<PatGrant>('/orgs/{org}/personal-access-tokens', {org, owner: [login]}) : undefined,
  ]);
  if (teams.sso && credentials === null) {
    throw new PermanentError(`${org} uses SAML SSO, yet GitHub answered 404 to the list of its credential authorizations; `
      + `the credential needs ${NEEDS.sso}.`);
  }
  const {names, access} = scan;
  const keys = scan.extra.flat();
  const direct = access.filter((a) => a.direct !== null);
  const scanInvitations = cfg.enterprise === undefined && names.length <= cfg.repo_invitation_scan_limit;
  type RepoInvitation = {invitee: {login: string} | null; permissions: string};
  const repoInvitations = scanInvitations ? await Promise.all(names.map(async (repo) => ({repo,
    invitations: await api.allPages<RepoInvitation>('/repos/{owner}/{repo}/invitations', {owner: org, repo})})))
    : undefined;

  const found: Finding[] = [];
  const base = info.data.default_repository_permission ?? 'read';
  const m = membership?.data;
  if (m?.state === 'active') {
    found.push(c.finding('org_membership', org, `${m.role === 'admin' ? 'Owner' : 'Member'} of the ${org} organization`,
      m.role === 'admin' ? 'high' : 'medium',
      {org, role: m.role, base_permission: base, teams: teams.teams.map((t) => t.slug)}));
  } else if (direct.length > 0) {
    found.push(c.finding('outside_collaborator', org, `Outside collaborator in ${org} (${direct.length} repositories)`, 'medium',
      {org, repos: direct.length}));
  }
  for (const inv of invitations.filter((i) => sameLogin(i.login, login) || (i.login === null && sameLogin(i.email, c.email)))) {
    const to = inv.login ? `@${inv.login}` : inv.email ?? '';
    found.push(c.finding('org_invitation', `${org}/${inv.id}`, `Pending invitation to join ${org} (${to})`, 'medium',
      {org, invitation_id: inv.id, role: inv.role, via: inv.login ? 'login' : 'email'}));
  }
  for (const t of teams.teams) {
    const role = t.maintainer ? 'Maintainer' : 'Member';
    found.push(c.finding('team_membership', `${org}/${t.slug}`, `${role} of team ${org}/${t.slug}`, t.maintainer ? 'medium' : 'low',
      {org, team: t.slug, team_name: t.name, role: t.maintainer ? 'maintainer' : 'member'}));
  }
  for (const a of direct) found.push(repoAccessFinding(c, org, a));
  for (const cred of credentials ?? []) found.push(credentialFinding(c, org, cred));
  for (const g of grants ?? []) {
    const label = `Fine-grained token "${g.token_name}" granted to ${org} (${g.repository_selection} repositories)`;
    found.push(c.finding('pat_grant', `${org}/${g.id}`, label, 'high', {org, grant_id: g.id, token_id: g.token_id,
      token_name: g.token_name, repository_selection: g.repository_selection, expires_at: g.token_expires_at}));
  }
  if (grants === undefined) {
    found.push(c.finding('coverage_gap', `${org}/pat_grants`, `Fine-grained token grants in ${org} were not checked`, 'medium',
      {org, what: 'pat_grants', reason: `only a GitHub App can list them (${NEEDS.pat})`}));
  }
  for (const {repo, keys: list} of keys) {
    for (const k of list.filter((key) => sameLogin(key.added_by, login))) {
      const label = `Deploy key "${k.title}" on ${org}/${repo} (${k.read_only ? 'read-only' : 'read-write'})`;
      found.push(c.finding('deploy_key', `${org}/${repo}/${k.id}`, label, k.read_only ? 'medium' : 'high', {org, repo,
        key_id: k.id, title: k.title, read_only: k.read_only, key_fingerprint: fingerprint(k.key), created_at: k.created_at,
        last_used: k.last_used ?? null}));
    }
  }
  const readable = access.filter((a) => a.effective !== null).length;
  if (readable > 0) {
    found.push(c.finding('local_clones', org, `Local clones of up to ${readable} ${org} repositories they could read`, 'medium',
      {org, repos_readable: readable}, true));
  }
  const invitationFindings = (repoInvitations ?? []).flatMap(({repo, invitations: list}) =>
    list.filter((i) => sameLogin(i.invitee?.login, login)).map((i) => repoInvitationFinding(c, org, repo, i.permissions)));
  if (repoInvitations === undefined && cfg.enterprise === undefined) {
    const reason = `${names.length} repositories exceed repo_invitation_scan_limit (${cfg.repo_invitation_scan_limit}); `
      + 'set providers.github.enterprise to find them in one query';
    found.push(c.finding('coverage_gap', `${org}/repo_invitations`, `Pending repository invitations in ${org} were not checked`,
      'low', {org, what: 'repo_invitations', reason}));
  }
  return {org, findings: found, repoInvitations: invitationFindings};
}

function repoAccessFinding(c: Ctx, org: string, a: RepoAccess): Finding {
  const p = a.direct as Permission;
  const risk: Risk = p === 'admin' || p === 'maintain' ? 'high' : p === 'push' ? 'medium' : 'low';
  return c.finding('repo_access', `${org}/${a.repo}`, `Direct ${p} access to ${org}/${a.repo}`, risk,
    {org, repo: a.repo, permission: p});
}

function repoInvitationFinding(c: Ctx, org: string, repo: string, permission: string): Finding {
  const label = `Pending invitation to ${org}/${repo} (${permission.toLowerCase()})`;
  return c.finding('repo_invitation', `${org}/${repo}`, label, 'medium',
    {org, repo, permission: permission.toLowerCase()});
}

function credentialFinding(c: Ctx, org: string, cred: CredentialAuthorization): Finding {
  const isKey = cred.credential_type === 'SSH key';
  const name = isKey ? cred.authorized_credential_title : cred.authorized_credential_note;
  // Never the token's last eight characters: a fragment of a secret stays out of labels and evidence.
  return c.finding('credential_authorization', `${org}/${cred.credential_id}`,
    `SSO authorization of ${isKey ? 'an SSH key' : `a ${cred.credential_type}`}${name ? ` "${name}"` : ''} for ${org}`, 'high', {
      org, credential_id: cred.credential_id, credential_type: cred.credential_type, name: name ?? '',
      ssh_fingerprint: isKey ? cred.fingerprint ?? '' : '', authorized_at: cred.credential_authorized_at,
      last_accessed_at: cred.credential_accessed_at,
    });
}

async function discoverForks(api: GithubClient, c: Ctx, orgs: readonly string[]): Promise<Finding[]> {
  type ForkNode = NonNullable<ForksOfData['user']>['repositories']['nodes'][number] & object;
  const {nodes} = await collectPages<ForksOfData, ForkNode>(api, FORKS_OF, {login: c.login}, (d) => d?.user?.repositories,
    (errors) => graphqlError(errors, `list the forks of ${c.login}`));
  return nodes.flatMap((f) => {
    const parentOrg = f.parent?.owner.login;
    if (!f.parent || !orgs.some((o) => sameLogin(o, parentOrg))) return [];
    const label = `Fork ${f.nameWithOwner} of ${f.parent.nameWithOwner} (${f.isPrivate ? 'private' : 'public'})`;
    return [c.finding('fork', f.nameWithOwner, label, f.isPrivate ? 'medium' : 'high',
      {org: parentOrg ?? '', fork: f.nameWithOwner, parent: f.parent.nameWithOwner, private: f.isPrivate}, true)];
  });
}

type OwnerInfo = NonNullable<NonNullable<PendingRepoInvitationsData['enterprise']>['ownerInfo']>;
type InvitationNode = NonNullable<OwnerInfo['pendingCollaboratorInvitations']['nodes'][number]>;

async function enterpriseRepoInvitations(api: GithubClient, slug: string, login: string): Promise<
  {ok: true; list: {org: string; repo: string; permission: string}[]} | {ok: false; reason: string}> {
  const refused = (errors: readonly {type?: string; message: string}[]): Error => {
    const error = graphqlError(errors, `list pending repository invitations of the ${slug} enterprise`);
    return errors.some((e) => e.type === 'RATE_LIMITED') ? error : Object.assign(error, {refusal: true});
  };
  let result;
  try {
    result = await collectPages<PendingRepoInvitationsData, InvitationNode>(api, PENDING_REPO_INVITATIONS, {slug, login},
      (d) => d?.enterprise?.ownerInfo?.pendingCollaboratorInvitations, refused);
  } catch (e) {
    // Only enterprise owners may ask (an App installed on an organization may not): the rest of the inventory stands.
    if ((e as {refusal?: boolean}).refusal) return {ok: false, reason: (e as Error).message};
    throw e;
  }
  if (result.missing) {
    return {ok: false, reason: `the credential is not an owner of the ${slug} enterprise (providers.github.enterprise)`};
  }
  return {ok: true, list: result.nodes.flatMap((n) => {
    const [org, repo] = (n.repository?.nameWithOwner ?? '').split('/');
    return org && repo && sameLogin(n.invitee?.login, login) ? [{org, repo, permission: n.permission}] : [];
  })};
}
