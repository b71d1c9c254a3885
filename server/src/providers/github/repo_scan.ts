// Who-can-reach-what for one login across many repositories. Names come from a page-numbered REST listing: its first
// page's Link header says how many pages there are, and the rest are fetched at once (GraphQL's cursor pages would
// come one after the other: 100 round trips for 10,000 repositories). The listing of custom property values has
// every repository in ~100 bytes, where GET /orgs/{org}/repos sends ~2.5-6 KB per repository (25-60 MB for 10,000);
// it is trusted only when its count equals the organization's repository count, otherwise (or where it does not
// exist, GHES before 3.11) the full listing fills in. Each page's access batch (one GraphQL query asking about the
// login on those 100 repositories, §2.10 turned around) goes out as soon as the page is in, so the scan ends about
// one batch after the last page. Direct grants are the permission sources of kind Repository (affiliation ALL also
// reports base-permission and team grants, which are told apart by their source).
import {PermanentError} from '../../engine/errors.js';
import {type GithubClient, lastPage, statusOf} from './client.js';
import {graphqlError} from './errors.js';
import {type Permission, permissionFromGraphql, PERMISSIONS} from './model.js';
import {REPO_BATCH, repoAccessQuery, type RepoAccessNode} from './queries.js';

export interface RepoAccess {
  readonly repo: string;
  /** The highest permission from any source; null when the login has no access at all. */
  readonly effective: Permission | null;
  /** The direct (collaborator) grant; null when there is none. */
  readonly direct: Permission | null;
  /** Number of deploy keys (only when asked for). */
  readonly deployKeys: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const best = (a: Permission | null, b: Permission): Permission =>
  a === null || PERMISSIONS.indexOf(b) > PERMISSIONS.indexOf(a) ? b : a;

function accessOf(repo: string, node: RepoAccessNode): RepoAccess {
  let effective: Permission | null = null;
  let direct: Permission | null = null;
  for (const edge of node.collaborators?.edges ?? []) {
    if (!edge) continue;
    effective = best(effective, permissionFromGraphql(edge.permission));
    for (const s of edge.permissionSources ?? []) {
      if (s.source.__typename === 'Repository') direct = best(direct, permissionFromGraphql(s.permission, s.roleName));
    }
  }
  return {repo, effective, direct, deployKeys: node.deployKeys?.totalCount ?? 0};
}

/**
 * Access of `login` to each named repository of the client's organization. Repositories deleted since they were
 * listed (NOT_FOUND) are left out; a repository whose collaborators the credential may not read fails the scan,
 * since an unreadable repository is not proof of no access.
 */
export async function scanRepoAccess(
  api: GithubClient, login: string, repos: readonly string[], withKeys: boolean,
): Promise<RepoAccess[]> {
  const batches = await Promise.all(chunks(repos, REPO_BATCH).map(async (names) => {
    const variables: Record<string, unknown> = {login, owner: api.org};
    names.forEach((n, i) => (variables[`r${i}`] = n));
    const query = repoAccessQuery(names.length, withKeys);
    const {data, errors} = await api.graphql<Record<string, RepoAccessNode | null>>(query, variables);
    const blocking = errors.filter((e) => e.type !== 'NOT_FOUND');
    if (blocking.length > 0) throw graphqlError(blocking, `read who can access ${names.length} repositories of ${api.org}`);
    if (!data) throw new PermanentError(`GitHub returned no data for the repositories of ${api.org}.`);
    return names.flatMap((n, i) => {
      const node = data[`r${i}`];
      return node === null || node === undefined ? [] : [accessOf(n, node)];
    });
  }));
  return batches.flat();
}

interface Listing {
  readonly route: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly name: (item: Record<string, unknown>) => unknown;
}

const PROPERTY_VALUES: Listing = {route: '/orgs/{org}/properties/values', params: {}, name: (i) => i['repository_name']};
const REPOSITORIES: Listing = {route: '/orgs/{org}/repos', params: {type: 'all'}, name: (i) => i['name']};

/**
 * Lists the organization's repositories and scans the login's access to all of them, each page's batch starting
 * as soon as the page is in. `perBatch` runs on each batch's result as soon as it is in (deploy-key lists, ...).
 * `expected` resolves to the organization's repository count when the credential may see it.
 */
export async function scanOrganization<X>(
  api: GithubClient, login: string, expected: Promise<number | undefined>, perBatch: (access: RepoAccess[]) => Promise<X>,
): Promise<{names: string[]; access: RepoAccess[]; extra: X[]; listing: 'property values' | 'repositories'}> {
  const seen = new Set<string>();
  const scans: Promise<{access: RepoAccess[]; extra: X}>[] = [];
  const scan = (items: readonly Record<string, unknown>[], listing: Listing): void => {
    // Pages can overlap (a repository created mid-listing shifts later pages): none is asked about twice.
    const names = items.map(listing.name).filter((n): n is string => typeof n === 'string' && !seen.has(n));
    for (const n of names) seen.add(n);
    if (names.length === 0) return;
    const batch = scanRepoAccess(api, login, names, true).then(async (access) => ({access, extra: await perBatch(access)}));
    // Awaited below, after the listing; a failure before then must not count as unhandled.
    batch.catch(() => undefined);
    scans.push(batch);
  };
  const list = async (listing: Listing): Promise<void> => {
    const params = {org: api.org, ...listing.params, per_page: 100};
    const first = await api.listPage<Record<string, unknown>>(listing.route, {...params, page: 1});
    scan(first.items, listing);
    await Promise.all(Array.from({length: Math.max(0, lastPage(first.link) - 1)}, (_, i) =>
      api.listPage<Record<string, unknown>>(listing.route, {...params, page: i + 2}).then((p) => scan(p.items, listing))));
  };
  let complete = false;
  try {
    await list(PROPERTY_VALUES);
    complete = seen.size === await expected;
  } catch (e) {
    const status = statusOf(e);
    if (status !== 404 && status !== 403) throw e;
  }
  if (!complete) await list(REPOSITORIES);
  const done = await Promise.all(scans);
  return {names: [...seen], access: done.flatMap((d) => d.access), extra: done.map((d) => d.extra),
    listing: complete ? 'property values' : 'repositories'};
}
