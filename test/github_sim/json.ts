// REST response bodies in the shapes of @octokit/openapi's schemas (simple-user, minimal-repository, org-membership,
// organization-invitation, ...), with every required property present and URLs pointing at the simulator.
import type {SimState} from './state.js';
import type {
  RepoPermission, SimCredentialAuthorization, SimDeployKey, SimOrg, SimOrgInvitation, SimPatGrant, SimRepo,
  SimRepoInvitation, SimTeam, SimUser,
} from './types.js';
import {REPO_PERMISSIONS} from './types.js';

type Json = Record<string, unknown>;

export function simpleUser(base: string, u: SimUser): Json {
  const url = `${base}/users/${u.login}`;
  return {
    login: u.login, id: u.id, node_id: u.nodeId, avatar_url: `${base}/avatars/u/${u.id}`, gravatar_id: '', url,
    html_url: `${base}/${u.login}`, followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`, gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`, subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`, repos_url: `${url}/repos`, events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`, type: u.type, site_admin: false, user_view_type: 'public',
  };
}

/** The owner of an organization repository, rendered as simple-user with type Organization. */
function orgOwner(base: string, org: SimOrg): Json {
  const url = `${base}/users/${org.login}`;
  return {
    login: org.login, id: org.id, node_id: org.nodeId, avatar_url: `${base}/avatars/u/${org.id}`, gravatar_id: '',
    url, html_url: `${base}/${org.login}`, followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`, gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`, subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`, repos_url: `${url}/repos`, events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`, type: 'Organization', site_admin: false,
  };
}

export function minimalRepository(base: string, state: SimState, r: SimRepo): Json {
  const url = `${base}/repos/${r.owner}/${r.name}`;
  const org = r.ownerIsOrg ? state.org(r.owner) : undefined;
  const user = r.ownerIsOrg ? undefined : state.user(r.owner);
  const owner = org ? orgOwner(base, org) : user ? simpleUser(base, user) : {};
  return {
    id: r.id, node_id: r.nodeId, name: r.name, full_name: `${r.owner}/${r.name}`, private: r.private, owner,
    html_url: `${base}/${r.owner}/${r.name}`, description: null, fork: r.fork, url,
    archive_url: `${url}/{archive_format}{/ref}`, assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`, branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`, comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`, compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`, contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`, downloads_url: `${url}/downloads`, events_url: `${url}/events`,
    forks_url: `${url}/forks`, git_commits_url: `${url}/git/commits{/sha}`, git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`, hooks_url: `${url}/hooks`, issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`, issues_url: `${url}/issues{/number}`, keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`, languages_url: `${url}/languages`, merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`, notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`, releases_url: `${url}/releases{/id}`, stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`, subscribers_url: `${url}/subscribers`, subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`, teams_url: `${url}/teams`, trees_url: `${url}/git/trees{/sha}`,
    visibility: r.private ? 'private' : 'public', created_at: r.createdAt, archived: false, disabled: false,
  };
}

export function organization(base: string, org: SimOrg, asOwner: boolean): Json {
  const url = `${base}/orgs/${org.login}`;
  const out: Json = {
    login: org.login, id: org.id, node_id: org.nodeId, url, repos_url: `${url}/repos`, events_url: `${url}/events`,
    hooks_url: `${url}/hooks`, issues_url: `${url}/issues`, members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`, avatar_url: `${base}/avatars/u/${org.id}`,
    description: null, name: org.name, html_url: `${base}/${org.login}`, has_organization_projects: true,
    has_repository_projects: true, public_repos: org.repoList.filter((r) => !r.private).length, public_gists: 0,
    followers: 0, following: 0, type: 'Organization', created_at: '2019-05-01T10:00:00Z',
    updated_at: '2024-01-15T09:00:00Z', archived_at: null,
  };
  // Owner-only fields (the "organization-full" schema marks them optional).
  if (asOwner) {
    out['default_repository_permission'] = org.basePermission;
    out['two_factor_requirement_enabled'] = true;
    out['total_private_repos'] = org.repoList.filter((r) => r.private).length;
  }
  return out;
}

export function orgMembership(base: string, state: SimState, org: SimOrg, user: SimUser, active: boolean): Json {
  const role = active ? (org.members.get(user.login.toLowerCase()) ?? 'member') : 'member';
  return {
    url: `${base}/orgs/${org.login}/memberships/${user.login}`, state: active ? 'active' : 'pending', role,
    organization_url: `${base}/orgs/${org.login}`, organization: orgSimple(base, org), user: simpleUser(base, user),
  };
}

function orgSimple(base: string, org: SimOrg): Json {
  const url = `${base}/orgs/${org.login}`;
  return {
    login: org.login, id: org.id, node_id: org.nodeId, url, repos_url: `${url}/repos`, events_url: `${url}/events`,
    hooks_url: `${url}/hooks`, issues_url: `${url}/issues`, members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`, avatar_url: `${base}/avatars/u/${org.id}`, description: null,
  };
}

export function teamMembership(base: string, org: SimOrg, team: SimTeam, login: string, role: string): Json {
  return {url: `${base}/orgs/${org.login}/teams/${team.slug}/memberships/${login}`, role, state: 'active'};
}

export function team(base: string, org: SimOrg, t: SimTeam): Json {
  const url = `${base}/orgs/${org.login}/teams/${t.slug}`;
  return {
    id: t.id, node_id: t.nodeId, url, html_url: `${base}/orgs/${org.login}/teams/${t.slug}`, name: t.name, slug: t.slug,
    description: null, privacy: 'closed', notification_setting: 'notifications_enabled', permission: 'pull',
    members_url: `${url}/members{/member}`, repositories_url: `${url}/repos`, parent: null, type: 'organization',
  };
}

export function orgInvitation(base: string, state: SimState, org: SimOrg, inv: SimOrgInvitation): Json {
  const inviter = state.user(inv.inviter);
  return {
    id: inv.id, node_id: inv.nodeId, login: inv.login, email: inv.email, role: inv.role, created_at: inv.createdAt,
    failed_at: null, failed_reason: null, inviter: inviter ? simpleUser(base, inviter) : null, team_count: 0,
    invitation_teams_url: `${base}/organizations/${org.id}/invitations/${inv.id}/teams`,
    invitation_source: 'member',
  };
}

const INVITATION_PERMISSION: Readonly<Record<RepoPermission, string>> = {
  pull: 'read', triage: 'triage', push: 'write', maintain: 'maintain', admin: 'admin',
};

export function repoInvitation(base: string, state: SimState, repo: SimRepo, inv: SimRepoInvitation): Json {
  const invitee = state.user(inv.invitee);
  const inviter = state.user(inv.inviter);
  return {
    id: inv.id, node_id: inv.nodeId, repository: minimalRepository(base, state, repo),
    invitee: invitee ? simpleUser(base, invitee) : null, inviter: inviter ? simpleUser(base, inviter) : null,
    permissions: INVITATION_PERMISSION[inv.permission], created_at: inv.createdAt, expired: false,
    url: `${base}/user/repository_invitations/${inv.id}`, html_url: `${base}/${repo.owner}/${repo.name}/invitations`,
  };
}

export function deployKey(base: string, repo: SimRepo, k: SimDeployKey): Json {
  return {
    id: k.id, key: k.key, url: `${base}/repos/${repo.owner}/${repo.name}/keys/${k.id}`, title: k.title,
    verified: true, created_at: k.createdAt, read_only: k.readOnly, added_by: k.addedBy, last_used: k.lastUsed,
    enabled: true,
  };
}

export function collaborator(base: string, user: SimUser, permission: RepoPermission): Json {
  const rank = REPO_PERMISSIONS.indexOf(permission);
  return {
    ...simpleUser(base, user),
    permissions: {
      pull: rank >= 0, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4,
    },
    role_name: INVITATION_PERMISSION[permission],
  };
}

export function credentialAuthorization(c: SimCredentialAuthorization): Json {
  return {
    login: c.login, credential_id: c.credentialId, credential_type: c.type,
    ...(c.tokenLastEight === null ? {} : {token_last_eight: c.tokenLastEight}),
    ...(c.fingerprint === null ? {} : {fingerprint: c.fingerprint}),
    credential_authorized_at: c.authorizedAt, credential_accessed_at: c.accessedAt,
    authorized_credential_id: c.authorizedCredentialId, authorized_credential_title: c.title,
    authorized_credential_note: c.note, authorized_credential_expires_at: null, scopes: c.scopes,
  };
}

export function patGrant(base: string, state: SimState, org: SimOrg, g: SimPatGrant): Json {
  const owner = state.user(g.owner);
  return {
    id: g.id, owner: owner ? simpleUser(base, owner) : null, repository_selection: g.repositorySelection,
    repositories_url: `${base}/organizations/${org.id}/personal-access-tokens/${g.id}/repositories`,
    permissions: g.permissions, access_granted_at: g.grantedAt, token_id: g.tokenId, token_name: g.tokenName,
    token_expired: false, token_expires_at: g.expiresAt, token_last_used_at: g.lastUsedAt,
  };
}
