// /bots and /oauth/apps (api4/bot.go, api4/oauth.go). With the default permissions only system admins create and
// manage bots and OAuth apps; other users see their own.

import {forbidden, notFound} from '../errors.js';
import {newId} from '../ids.js';
import {createOAuthApp} from '../ops_integrations.js';
import {assignBot, createBot, requireBot, requireUser, setBotActive} from '../ops_users.js';
import {isSystemAdmin} from '../permissions.js';
import type {Bot, OAuthApp} from '../types.js';
import {body, bodyString, caller, json, paginate, paging, param, queryBool, requireAdmin} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

/** read_others_bots for admins; everyone else only sees the bots they own. */
function visibleBot(ctx: RequestContext, bot: Bot | undefined): Bot {
  const user = caller(ctx);
  if (bot === undefined || (!isSystemAdmin(user) && bot.owner_id !== user.id)) {
    throw notFound('store.sql_bot.get.missing.app_error', 'Bot does not exist.');
  }
  return bot;
}

function ownedApp(ctx: RequestContext): OAuthApp {
  const app = ctx.core.state.oauthApp(param(ctx, 'app_id'));
  if (app === undefined) throw notFound('app.oauth.get_app.find.app_error', 'Unable to find the requested app.');
  const user = caller(ctx);
  if (!isSystemAdmin(user)) throw forbidden();
  return app;
}

export const botRoutes: RouteTable = {
  GetBots: (ctx) => {
    const user = caller(ctx);
    const {state} = ctx.core;
    const includeDeleted = queryBool(ctx, 'include_deleted');
    const onlyOrphaned = queryBool(ctx, 'only_orphaned');
    const bots = [...state.bots.values()]
      .filter((b) => isSystemAdmin(user) || b.owner_id === user.id)
      .filter((b) => includeDeleted || b.delete_at === 0)
      // Orphaned: the owner no longer exists or is deactivated.
      .filter((b) => !onlyOrphaned || (state.user(b.owner_id)?.delete_at ?? 1) !== 0)
      .sort((a, b) => a.username.localeCompare(b.username));
    return json(paginate(bots, paging(ctx)));
  },

  CreateBot: (ctx) => {
    const admin = requireAdmin(ctx);
    const b = body(ctx);
    const bot = createBot(ctx.core, {
      username: bodyString(ctx, 'username'), owner_id: admin.id,
      display_name: typeof b['display_name'] === 'string' ? b['display_name'] : '',
      description: typeof b['description'] === 'string' ? b['description'] : '',
    });
    return json(bot, 201);
  },

  GetBot: (ctx) => {
    const bot = visibleBot(ctx, ctx.core.state.bot(param(ctx, 'bot_user_id')));
    if (bot.delete_at !== 0 && !queryBool(ctx, 'include_deleted')) throw notFound('store.sql_bot.get.missing.app_error', 'Bot does not exist.');
    return json(bot);
  },

  AssignBot: (ctx) => {
    requireAdmin(ctx);
    const botId = param(ctx, 'bot_user_id');
    requireBot(ctx.core, botId);
    requireUser(ctx.core, param(ctx, 'user_id'));
    return json(assignBot(ctx.core, botId, param(ctx, 'user_id')));
  },

  DisableBot: (ctx) => {
    requireAdmin(ctx);
    return json(setBotActive(ctx.core, param(ctx, 'bot_user_id'), false));
  },

  EnableBot: (ctx) => {
    requireAdmin(ctx);
    return json(setBotActive(ctx.core, param(ctx, 'bot_user_id'), true));
  },

  GetOAuthApps: (ctx) => {
    requireAdmin(ctx);
    const apps = [...ctx.core.state.oauthApps.values()].sort((a, b) => a.create_at - b.create_at);
    return json(paginate(apps, paging(ctx)));
  },

  CreateOAuthApp: (ctx) => {
    const admin = requireAdmin(ctx);
    const b = body(ctx);
    const urls = b['callback_urls'];
    const app = createOAuthApp(ctx.core, {
      creator_id: admin.id, name: bodyString(ctx, 'name'), description: bodyString(ctx, 'description'),
      homepage: bodyString(ctx, 'homepage'), callback_urls: Array.isArray(urls) ? urls.map(String) : [],
      icon_url: typeof b['icon_url'] === 'string' ? b['icon_url'] : '', is_trusted: b['is_trusted'] === true,
    });
    return json(app, 201);
  },

  RegenerateOAuthAppSecret: (ctx) => {
    const app = ownedApp(ctx);
    app.client_secret = newId();
    app.update_at = Date.now();
    return json(app);
  },
};
