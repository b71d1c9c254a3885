// REST routes of organizations: the organization, memberships and roles, outside collaborators, invitations, teams,
// SAML SSO credential authorizations (Enterprise Cloud) and fine-grained token grants (GitHub Apps only).
import {notAccessibleByToken, notFound, validationFailed} from './errors.js';
import * as J from './json.js';
import {type Handler, knownUser, noContent, orgOf, ownedOrg, paginate, param, type RouteContext} from './route_kit.js';
import {lower} from './state.js';
import type {SimOrg} from './types.js';

/** Members see memberships; everyone else gets 404 for a private organization detail. */
function memberOrOwner(ctx: RouteContext): SimOrg {
  const org = orgOf(ctx);
  const p = ctx.principal;
  if (ctx.state.administers(p, org) || (p.kind === 'user' && ctx.state.isMember(org, p.login))) return org;
  throw notFound();
}

function pendingInvitation(org: SimOrg, login: string): boolean {
  return [...org.invitations.values()].some((i) => i.login !== null && lower(i.login) === lower(login));
}

function requireApp(ctx: RouteContext): SimOrg {
  if (ctx.principal.kind !== 'installation') throw notAccessibleByToken();
  return ownedOrg(ctx);
}

function ssoOrg(ctx: RouteContext): SimOrg {
  const org = ownedOrg(ctx);
  // Only organizations on Enterprise Cloud with SAML SSO have credential authorizations.
  if (!org.enterpriseCloud || !org.samlSso) throw notFound();
  return org;
}

export const ORG_ROUTES: Readonly<Record<string, Handler>> = {
  'orgs/get': (ctx) => {
    const org = orgOf(ctx);
    return {json: J.organization(ctx.base, org, ctx.state.administers(ctx.principal, org))};
  },

  'orgs/get-membership-for-user': (ctx) => {
    const org = memberOrOwner(ctx);
    const user = ctx.state.user(knownUser(ctx));
    if (!user) throw notFound();
    if (ctx.state.isMember(org, user.login)) return {json: J.orgMembership(ctx.base, ctx.state, org, user, true)};
    if (pendingInvitation(org, user.login)) return {json: J.orgMembership(ctx.base, ctx.state, org, user, false)};
    throw notFound();
  },

  'orgs/set-membership-for-user': (ctx) => {
    const org = ownedOrg(ctx);
    const user = ctx.state.user(knownUser(ctx));
    if (!user) throw notFound();
    const role = (ctx.body as {role?: string} | undefined)?.role === 'admin' ? 'admin' : 'member';
    if (ctx.state.isMember(org, user.login)) {
      ctx.state.setMember(org, user.login, role);
      return {json: J.orgMembership(ctx.base, ctx.state, org, user, true)};
    }
    if (!pendingInvitation(org, user.login)) {
      const id = ctx.state.nextId();
      org.invitations.set(id, {
        id, nodeId: ctx.state.nodeId('OrganizationInvitation', id), login: user.login, email: null,
        role: role === 'admin' ? 'admin' : 'direct_member', inviter: 'simulator', createdAt: new Date().toISOString(),
      });
    }
    return {json: J.orgMembership(ctx.base, ctx.state, org, user, false)};
  },

  'orgs/remove-membership-for-user': (ctx) => {
    const org = ownedOrg(ctx);
    if (!ctx.state.removeMember(org, knownUser(ctx))) throw notFound();
    return noContent;
  },

  'orgs/remove-member': (ctx) => {
    const org = ownedOrg(ctx);
    ctx.state.removeMember(org, knownUser(ctx));
    return noContent;
  },

  'orgs/check-membership-for-user': (ctx) => {
    const org = memberOrOwner(ctx);
    if (!ctx.state.isMember(org, knownUser(ctx))) throw notFound();
    return noContent;
  },

  'orgs/list-outside-collaborators': (ctx) => {
    const org = ownedOrg(ctx);
    const outside = new Set<string>();
    for (const repo of org.repoList) for (const key of repo.collaborators.keys()) if (!org.members.has(key)) outside.add(key);
    const users = [...outside].sort().map((k) => ctx.state.users.get(k)).filter((u) => u !== undefined);
    return paginate(ctx, users, (u) => JSON.stringify(J.simpleUser(ctx.base, u)));
  },

  'orgs/remove-outside-collaborator': (ctx) => {
    const org = ownedOrg(ctx);
    const login = knownUser(ctx);
    if (ctx.state.isMember(org, login)) {
      throw validationFailed('You cannot specify an organization member to remove as an outside collaborator.');
    }
    ctx.state.removeOutsideCollaborator(org, login);
    return noContent;
  },

  'orgs/list-pending-invitations': (ctx) => {
    const org = ownedOrg(ctx);
    const list = [...org.invitations.values()].sort((a, b) => a.id - b.id);
    return paginate(ctx, list, (i) => JSON.stringify(J.orgInvitation(ctx.base, ctx.state, org, i)));
  },

  'orgs/cancel-invitation': (ctx) => {
    const org = ownedOrg(ctx);
    if (!org.invitations.delete(Number(param(ctx, 'invitation_id')))) throw notFound();
    return noContent;
  },

  'teams/list': (ctx) => {
    const org = memberOrOwner(ctx);
    const teams = [...org.teams.values()].sort((a, b) => a.slug.localeCompare(b.slug));
    return paginate(ctx, teams, (t) => JSON.stringify(J.team(ctx.base, org, t)));
  },

  'teams/get-membership-for-user-in-org': (ctx) => {
    const org = memberOrOwner(ctx);
    const team = org.teams.get(param(ctx, 'team_slug'));
    const login = knownUser(ctx);
    const role = team?.members.get(lower(login));
    if (!team || role === undefined) throw notFound();
    return {json: J.teamMembership(ctx.base, org, team, login, role)};
  },

  'teams/add-or-update-membership-for-user-in-org': (ctx) => {
    const org = ownedOrg(ctx);
    const team = org.teams.get(param(ctx, 'team_slug'));
    if (!team) throw notFound();
    const login = knownUser(ctx);
    if (!ctx.state.isMember(org, login)) throw validationFailed('User must be a member of the organization.');
    const role = (ctx.body as {role?: string} | undefined)?.role === 'maintainer' ? 'maintainer' : 'member';
    team.members.set(lower(login), role);
    return {json: J.teamMembership(ctx.base, org, team, login, role)};
  },

  'teams/remove-membership-for-user-in-org': (ctx) => {
    const org = ownedOrg(ctx);
    const team = org.teams.get(param(ctx, 'team_slug'));
    if (!team) throw notFound();
    team.members.delete(lower(knownUser(ctx)));
    return noContent;
  },

  'orgs/list-saml-sso-authorizations': (ctx) => {
    const org = ssoOrg(ctx);
    const login = ctx.url.searchParams.get('login');
    const list = [...org.credentialAuthorizations.values()]
      .filter((c) => login === null || lower(c.login) === lower(login))
      .sort((a, b) => a.credentialId - b.credentialId);
    return paginate(ctx, list, (c) => JSON.stringify(J.credentialAuthorization(c)));
  },

  'orgs/remove-saml-sso-authorization': (ctx) => {
    const org = ssoOrg(ctx);
    if (!org.credentialAuthorizations.delete(Number(param(ctx, 'credential_id')))) throw notFound();
    return noContent;
  },

  'orgs/list-pat-grants': (ctx) => {
    const org = requireApp(ctx);
    const owners = ctx.url.searchParams.getAll('owner').flatMap((o) => o.split(',')).map(lower);
    const list = [...org.patGrants.values()]
      .filter((g) => owners.length === 0 || owners.includes(lower(g.owner)))
      .sort((a, b) => a.id - b.id);
    return paginate(ctx, list, (g) => JSON.stringify(J.patGrant(ctx.base, ctx.state, org, g)));
  },

  'orgs/update-pat-accesses': (ctx) => {
    const org = requireApp(ctx);
    const ids = (ctx.body as {pat_ids: number[]}).pat_ids;
    const missing = ids.filter((id) => !org.patGrants.has(id));
    if (missing.length > 0) throw notFound();
    for (const id of ids) org.patGrants.delete(id);
    return {status: 202, json: {}};
  },

  'orgs/update-pat-access': (ctx) => {
    const org = requireApp(ctx);
    if (!org.patGrants.delete(Number(param(ctx, 'pat_id')))) throw notFound();
    return noContent;
  },
};
