// Sessions and personal access tokens of a user (api4/user.go: sessions, tokens).

import {badRequest, forbidden, notFound} from '../errors.js';
import {
  createAccessToken, requireAccessToken, requireUser, revokeAccessToken, revokeAllSessions, revokeSession,
  sessionForClient, setAccessTokenActive,
} from '../ops_users.js';
import {canUseAccessTokens} from '../permissions.js';
import type {AccessToken} from '../types.js';
import {bodyString, caller, json, paginate, paging, param, requireSelfOrAdmin, statusOk} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

/** create/read/revoke_user_access_token, plus edit_other_users for someone else's tokens. */
function requireTokenPermission(ctx: RequestContext, ownerId: string): void {
  if (!canUseAccessTokens(caller(ctx))) throw forbidden();
  requireSelfOrAdmin(ctx, ownerId);
}

const tokenForClient = (t: AccessToken): Record<string, unknown> => ({id: t.id, user_id: t.user_id, description: t.description, is_active: t.is_active});

export const userCredentialRoutes: RouteTable = {
  GetSessions: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    requireUser(ctx.core, userId);
    return json(ctx.core.state.sessionsOf(userId).map(sessionForClient));
  },

  RevokeAllSessions: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    requireUser(ctx.core, userId);
    revokeAllSessions(ctx.core, userId);
    return statusOk();
  },

  RevokeSession: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    const sessionId = bodyString(ctx, 'session_id');
    const session = ctx.core.state.sessions.get(sessionId);
    if (session === undefined) throw notFound('app.session.get.app_error', 'We encountered an error finding the session.');
    if (session.user_id !== userId) throw badRequest('api.context.invalid_url_param.app_error', 'Invalid or missing user_id parameter in request URL.');
    revokeSession(ctx.core, sessionId);
    return statusOk();
  },

  GetUserAccessTokensForUser: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireTokenPermission(ctx, userId);
    return json(paginate(ctx.core.state.tokensOf(userId), paging(ctx)).map(tokenForClient));
  },

  CreateUserAccessToken: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireTokenPermission(ctx, userId);
    const description = bodyString(ctx, 'description');
    const user = requireUser(ctx.core, userId);
    if (user.delete_at !== 0) throw badRequest('app.user_access_token.disabled', 'User access tokens are disabled for this user.');
    const token = createAccessToken(ctx.core, userId, description);
    // The only response that ever carries the token itself.
    return json({...tokenForClient(token), token: token.token});
  },

  RevokeUserAccessToken: (ctx) => {
    const token = requireAccessToken(ctx.core, bodyString(ctx, 'token_id'));
    requireTokenPermission(ctx, token.user_id);
    revokeAccessToken(ctx.core, token.id);
    return statusOk();
  },

  DisableUserAccessToken: (ctx) => {
    const token = requireAccessToken(ctx.core, bodyString(ctx, 'token_id'));
    requireTokenPermission(ctx, token.user_id);
    setAccessTokenActive(ctx.core, token.id, false);
    return statusOk();
  },
};
