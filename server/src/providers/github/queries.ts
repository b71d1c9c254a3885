// The GraphQL documents this provider sends, and their response shapes. The repository batch (§2.10 of the provider
// notes, turned around) asks about one login on up to 100 named repositories per query, so 10,000 repositories take
// 100 queries that can run side by side instead of 100 cursor pages one after the other.

export const SAML_IDENTITY = `query SamlIdentity($org: String!, $email: String!) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 10, userName: $email) {
        nodes { user { login } samlIdentity { nameId username emails { value } } }
      }
    }
  }
}`;

export interface SamlIdentityData {
  organization: {samlIdentityProvider: null | {externalIdentities: {nodes: (null | {
    user: {login: string} | null;
    samlIdentity: {nameId: string | null; username: string | null; emails: {value: string}[] | null} | null;
  })[]}}} | null;
}

export const VERIFIED_EMAILS = `query VerifiedEmails($org: String!, $cursor: String) {
  organization(login: $org) {
    membersWithRole(first: 100, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes { login organizationVerifiedDomainEmails(login: $org) }
    }
  }
}`;

export interface VerifiedEmailsData {
  organization: {membersWithRole: {
    pageInfo: PageInfo;
    nodes: ({login: string; organizationVerifiedDomainEmails: string[]} | null)[];
  }} | null;
}

export const USER_EXISTS = `query UserExists($login: String!) { user(login: $login) { login } }`;

export interface UserExistsData {
  user: {login: string} | null;
}

export const TEAMS_OF = `query TeamsOf($org: String!, $login: String!, $cursor: String) {
  organization(login: $org) {
    samlIdentityProvider { id }
    teams(first: 100, after: $cursor, userLogins: [$login]) {
      pageInfo { hasNextPage endCursor }
      nodes { slug name members(first: 10, query: $login, membership: IMMEDIATE) { edges { role node { login } } } }
    }
  }
}`;

export interface TeamsOfData {
  organization: {
    samlIdentityProvider: {id: string} | null;
    teams: Connection<{slug: string; name: string; members: {edges: ({role: string; node: {login: string}} | null)[]}}>;
  } | null;
}

export const FORKS_OF = `query ForksOf($login: String!, $cursor: String) {
  user(login: $login) {
    repositories(first: 100, after: $cursor, isFork: true, ownerAffiliations: [OWNER]) {
      pageInfo { hasNextPage endCursor }
      nodes { nameWithOwner isPrivate parent { nameWithOwner owner { login } } }
    }
  }
}`;

export interface ForksOfData {
  user: {repositories: {pageInfo: PageInfo; nodes: ({
    nameWithOwner: string; isPrivate: boolean; parent: {nameWithOwner: string; owner: {login: string}} | null;
  } | null)[]}} | null;
}

export const PENDING_REPO_INVITATIONS = `query PendingRepoInvitations($slug: String!, $login: String!, $cursor: String) {
  enterprise(slug: $slug) {
    ownerInfo {
      pendingCollaboratorInvitations(first: 100, after: $cursor, query: $login) {
        pageInfo { hasNextPage endCursor }
        nodes { permission invitee { login } repository { nameWithOwner } }
      }
    }
  }
}`;

export interface PendingRepoInvitationsData {
  enterprise: {ownerInfo: {pendingCollaboratorInvitations: {pageInfo: PageInfo; nodes: ({
    permission: string; invitee: {login: string} | null; repository: {nameWithOwner: string} | null;
  } | null)[]}} | null} | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Repositories per batch query: GitHub's connection cap, and 200 connection requests (2 points) per query. */
export const REPO_BATCH = 100;

// The source's type tells a direct grant (Repository) from a team's or the base permission (Organization); the
// teams themselves come from the TeamsOf query.
const ACCESS_FIELDS = `collaborators(login: $login, first: 1, affiliation: ALL) {
      edges { permission permissionSources { permission roleName source { __typename } } }
    }`;

/** The batch query for `n` repositories of one owner; `withKeys` also counts each repository's deploy keys. */
export function repoAccessQuery(n: number, withKeys: boolean): string {
  const vars = Array.from({length: n}, (_, i) => `$r${i}: String!`).join(', ');
  const fields = Array.from({length: n}, (_, i) => `  r${i}: repository(owner: $owner, name: $r${i}) { ...Access }`).join('\n');
  return `query RepoAccess($login: String!, $owner: String!, ${vars}) {\n${fields}\n}\n`
    + `fragment Access on Repository {\n    ${ACCESS_FIELDS}${withKeys ? '\n    deployKeys(first: 1) { totalCount }' : ''}\n}`;
}

export interface RepoAccessNode {
  collaborators: null | {edges: ({
    permission: string;
    permissionSources: {permission: string; roleName: string | null; source: {__typename: string}}[] | null;
  } | null)[]};
  deployKeys?: {totalCount: number};
}

/** A connection as the paged queries above return it. */
export interface Connection<N> {
  pageInfo: PageInfo;
  nodes: (N | null)[];
}

/** The minimal client surface collectPages needs (GithubClient.graphql). */
export interface GraphqlCaller {
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<{
    readonly data: T | null; readonly errors: readonly {readonly type?: string; readonly message: string}[];
  }>;
}

/**
 * Every node of a cursor-paged query (`$cursor` variable), page after page. `pick` finds the connection in the data;
 * undefined means the parent was missing (the caller decides what that means from `missing`).
 */
export async function collectPages<T, N>(
  api: GraphqlCaller, query: string, variables: Record<string, unknown>,
  pick: (data: T | null) => Connection<N> | null | undefined,
  fail: (errors: readonly {type?: string; message: string}[]) => Error,
): Promise<{nodes: N[]; missing: boolean; data: T | null}> {
  const nodes: N[] = [];
  let cursor: string | null = null;
  let last: T | null = null;
  for (;;) {
    const page: {readonly data: T | null; readonly errors: readonly {type?: string; message: string}[]} =
      await api.graphql<T>(query, {...variables, cursor});
    if (page.errors.length > 0) throw fail(page.errors);
    last = page.data;
    const conn = pick(page.data);
    if (!conn) return {nodes, missing: true, data: last};
    for (const n of conn.nodes) if (n !== null) nodes.push(n);
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return {nodes, missing: false, data: last};
    cursor = conn.pageInfo.endCursor;
  }
}
