// check(): the credential works and administers every configured organization.
// resolve(): the person's GitHub login, in order: the explicit mapping; the organizations' SAML identities by email
// (GraphQL); members whose verified-domain emails include the person's email; a member with the same username (only
// ever a candidate to confirm). Ambiguous or not found becomes a checklist item asking the admin, never a guess.
// A login the admin entered in the modal replaces all of that; it is only checked to exist.
import {errorMessage} from '../../engine/errors.js';
import {ENTERED_BY_ADMIN} from '../../engine/types.js';
import type {
  CheckResult, Identity, IdentityInputSpec, JsonObject, ProviderContext, ResolveHint, Subject,
} from '../../engine/types.js';
import {connect, type GithubClient, isNotFound, statusOf} from './client.js';
import type {GithubConfig} from './config.js';
import {githubError, graphqlError} from './errors.js';
import {PROVIDER_ID, sameLogin} from './model.js';
import {
  collectPages, SAML_IDENTITY, type SamlIdentityData, USER_EXISTS, type UserExistsData, VERIFIED_EMAILS, type VerifiedEmailsData,
} from './queries.js';

export async function check(ctx: ProviderContext<GithubConfig>): Promise<CheckResult> {
  const problems: string[] = [];
  for (const org of ctx.config.orgs) {
    try {
      const api = await connect(ctx, org);
      const info = await api.request('GET /orgs/{org}', {org});
      // Owner-only fields are missing when the credential does not administer the organization.
      if (info.data.default_repository_permission === undefined) {
        problems.push(`${org}: the credential does not administer the organization`);
        continue;
      }
      if (api.authKind === 'token') {
        const me = await api.request('GET /user');
        const membership = await api.request('GET /orgs/{org}/memberships/{username}', {org, username: me.data.login});
        if (membership.data.role !== 'admin') problems.push(`${org}: @${me.data.login} is not an organization owner`);
      }
    } catch (e) {
      const why = statusOf(e) === 401 ? 'credentials rejected (401)'
        : isNotFound(e) ? 'organization not found or not visible (404)' : errorMessage(e);
      problems.push(`${org}: ${why}`);
    }
  }
  return problems.length === 0 ? {ok: true, detail: 'ok'} : {ok: false, detail: problems.join('; ')};
}

/**
 * The modal's identity field. One login: plan() plans the one login it is given. GitHub logins are alphanumeric with
 * single hyphens, at most 39 characters; underscores appear on Enterprise Server (normalised LDAP/SAML names).
 */
export const identityInput: IdentityInputSpec = {
  label: 'GitHub login',
  placeholder: 'octocat',
  pattern: '^@?[A-Za-z0-9][A-Za-z0-9_-]{0,38}$',
  maxIds: 1,
};

interface Candidate {
  login: string;
  sources: string[];
}

/** Plan defaults travel with the identity, since plan() gets no context. */
function planDefaults(cfg: GithubConfig, subject: Subject): JsonObject {
  return {
    orgs: cfg.orgs, email: subject.email, mattermost_username: subject.username, default_access: cfg.default_access,
    auth: cfg.app ? 'app' : 'token',
    shared_secrets: cfg.shared_secrets.map((s) => ({name: s.name, instructions: s.instructions ?? '', owner: s.owner ?? ''})),
  };
}

async function userExists(api: GithubClient, login: string): Promise<string | undefined> {
  const {data, errors} = await api.graphql<UserExistsData>(USER_EXISTS, {login});
  if (errors.some((e) => e.type !== 'NOT_FOUND')) throw graphqlError(errors, `look up GitHub user ${login}`);
  return data?.user?.login;
}

async function samlLogins(api: GithubClient, email: string): Promise<{login: string; nameId: string}[]> {
  const {data, errors} = await api.graphql<SamlIdentityData>(SAML_IDENTITY, {org: api.org, email});
  if (errors.length > 0) throw graphqlError(errors, `read the SAML identities of ${api.org}`);
  const nodes = data?.organization?.samlIdentityProvider?.externalIdentities.nodes ?? [];
  return nodes.flatMap((n) => {
    const login = n?.user?.login;
    const emails = (n?.samlIdentity?.emails ?? []).map((e) => e.value);
    const nameId = n?.samlIdentity?.nameId ?? '';
    const matches = sameLogin(nameId, email) || emails.some((e) => sameLogin(e, email));
    return login && matches ? [{login, nameId}] : [];
  });
}

async function verifiedEmailLogins(api: GithubClient, email: string): Promise<string[]> {
  type MemberNode = NonNullable<VerifiedEmailsData['organization']>['membersWithRole']['nodes'][number] & object;
  const {nodes} = await collectPages<VerifiedEmailsData, MemberNode>(api, VERIFIED_EMAILS, {org: api.org},
    (d) => d?.organization?.membersWithRole,
    (errors) => graphqlError(errors, `read the verified emails of ${api.org}'s members`));
  return nodes.filter((m) => m.organizationVerifiedDomainEmails.some((e) => sameLogin(e, email))).map((m) => m.login);
}

function add(candidates: Map<string, Candidate>, login: string, source: string): void {
  const key = login.toLowerCase();
  const c = candidates.get(key) ?? {login, sources: []};
  if (!c.sources.includes(source)) c.sources.push(source);
  candidates.set(key, c);
}

export async function resolve(ctx: ProviderContext<GithubConfig>, subject: Subject, hint?: ResolveHint):
  Promise<Identity[]> {
  const cfg = ctx.config;
  const defaults = planDefaults(cfg, subject);
  const identity = (
    id: string, login: string | null, source: string, confidence: Identity['confidence'], extra: JsonObject = {},
  ): Identity => ({
    provider: PROVIDER_ID, id, label: login ? `@${login}` : `@${subject.username} (no GitHub account found)`, source,
    confidence, data: {...defaults, login, ...extra},
  });
  try {
    const clients = await Promise.all(cfg.orgs.map((org) => connect(ctx, org)));
    const first = clients[0] as GithubClient;
    if (hint && hint.ids.length > 0) {
      return await Promise.all(hint.ids.map(async (entered): Promise<Identity> => {
        const wanted = entered.replace(/^@/, '');
        const login = await userExists(first, wanted);
        return login
          ? identity(login, login, ENTERED_BY_ADMIN, 'exact', {entered})
          : {...identity(wanted, null, `${ENTERED_BY_ADMIN}: no GitHub account is called "${wanted}"`, 'not_found',
            {entered}), label: `@${wanted} (no such GitHub account)`};
      }));
    }
    const mapped = cfg.mapping[subject.username.toLowerCase()];
    if (mapped !== undefined) {
      const login = await userExists(first, mapped);
      return login
        ? [identity(login, login, 'explicit mapping (providers.github.mapping)', 'exact')]
        : [identity(subject.username, null, `explicit mapping names "${mapped}", which is no GitHub account`, 'not_found',
          {mapped})];
    }
    const candidates = new Map<string, Candidate>();
    if (subject.email) {
      const saml = await Promise.all(clients.map(async (api) => ({org: api.org, hits: await samlLogins(api, subject.email)})));
      for (const {org, hits} of saml) {
        for (const h of hits) add(candidates, h.login, `SAML identity in ${org} (NameID ${h.nameId})`);
      }
      if (candidates.size === 0) {
        const verified = await Promise.all(clients.map(async (api) =>
          ({org: api.org, logins: await verifiedEmailLogins(api, subject.email)})));
        for (const {org, logins} of verified) {
          for (const l of logins) add(candidates, l, `verified ${org} domain email ${subject.email}`);
        }
      }
    }
    const list = [...candidates.values()];
    if (list.length === 1) {
      const c = list[0] as Candidate;
      return [identity(c.login, c.login, c.sources.join('; '), 'exact')];
    }
    if (list.length > 1) {
      return [identity(subject.username, null, 'several GitHub accounts match', 'ambiguous', {
        candidates: list.map((c) => ({login: c.login, source: c.sources.join('; ')})),
      })];
    }
    const same = await userExists(first, subject.username);
    if (same) {
      const why = `a GitHub account has the same username (@${same}); that alone proves nothing`;
      return [identity(subject.username, null, why, 'ambiguous', {
        candidates: [{login: same, source: 'same username as in Mattermost'}],
      })];
    }
    const why = `no mapping, SAML identity or verified email matches ${subject.email || subject.username}`;
    return [identity(subject.username, null, why, 'not_found')];
  } catch (e) {
    throw githubError(e, `find the GitHub account of @${subject.username}`);
  }
}
