// /posts and a channel's posts: create, read, edit, threads, ephemeral posts (api4/post.go).

import {badRequest, forbidden, invalidBodyParam} from '../errors.js';
import {createPost, postForClient, requirePost, sendEphemeral, updatePost} from '../ops_posts.js';
import {requireUser} from '../ops_users.js';
import {requireChannel} from '../ops_workspace.js';
import {hasChannelPermission, isSystemAdmin} from '../permissions.js';
import type {Channel, Post} from '../types.js';
import {body, bodyString, caller, json, paginate, paging, param, requireAdmin} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

type Json = Record<string, unknown>;

function requireChannelPermission(ctx: RequestContext, channel: Channel, perm: string): void {
  if (!hasChannelPermission(ctx.core.state, caller(ctx), channel, perm)) throw forbidden();
}

function readablePost(ctx: RequestContext): Post {
  const post = requirePost(ctx.core, param(ctx, 'post_id'));
  requireChannelPermission(ctx, requireChannel(ctx.core, post.channel_id), 'read_channel');
  return post;
}

/** Own posts need edit_post; someone else's need edit_others_posts (admins only by default). */
function editablePost(ctx: RequestContext): Post {
  const post = readablePost(ctx);
  const user = caller(ctx);
  if (post.user_id !== user.id && !isSystemAdmin(user)) throw forbidden();
  requireChannelPermission(ctx, requireChannel(ctx.core, post.channel_id), 'edit_post');
  return post;
}

const optionalObject = (value: unknown, name: string): Json | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidBodyParam(name);
  return value as Json;
};

const stringList = (value: unknown, name: string): string[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidBodyParam(name);
  return value as string[];
};

function postList(ctx: RequestContext, posts: readonly Post[], extra: Json = {}): Json {
  const map: Json = {};
  for (const p of posts) map[p.id] = postForClient(ctx.core, p);
  return {order: posts.map((p) => p.id), posts: map, next_post_id: '', prev_post_id: '', has_next: false, ...extra};
}

export const postRoutes: RouteTable = {
  CreatePost: (ctx) => {
    const channel = requireChannel(ctx.core, bodyString(ctx, 'channel_id'));
    requireChannelPermission(ctx, channel, 'create_post');
    if (channel.delete_at !== 0) {
      throw badRequest('api.post.create_post.can_not_post_to_deleted.error', 'Can not post to deleted channel.');
    }
    const b = body(ctx);
    const type = typeof b['type'] === 'string' ? b['type'] : '';
    const post = createPost(ctx.core, {
      channel_id: channel.id, user_id: caller(ctx).id, message: bodyString(ctx, 'message', false),
      root_id: bodyString(ctx, 'root_id', false), type, props: optionalObject(b['props'], 'props') ?? {},
      file_ids: stringList(b['file_ids'], 'file_ids') ?? [],
    });
    return json(postForClient(ctx.core, post), 201);
  },

  GetPost: (ctx) => json(postForClient(ctx.core, readablePost(ctx))),

  PatchPost: (ctx) => {
    const post = editablePost(ctx);
    const b = body(ctx);
    const message = b['message'];
    if (message !== undefined && typeof message !== 'string') throw invalidBodyParam('message');
    const isPinned = b['is_pinned'];
    updatePost(ctx.core, post, {
      message, props: optionalObject(b['props'], 'props'), file_ids: stringList(b['file_ids'], 'file_ids'),
      is_pinned: typeof isPinned === 'boolean' ? isPinned : undefined,
    });
    return json(postForClient(ctx.core, post));
  },

  UpdatePost: (ctx) => {
    const post = editablePost(ctx);
    if (bodyString(ctx, 'id') !== post.id) throw invalidBodyParam('id');
    const b = body(ctx);
    // A full update: whatever the client leaves out is cleared (app.UpdatePost with SafeUpdate false).
    updatePost(ctx.core, post, {
      message: bodyString(ctx, 'message', false), props: optionalObject(b['props'], 'props') ?? {},
      file_ids: stringList(b['file_ids'], 'file_ids') ?? [], is_pinned: b['is_pinned'] === true,
    });
    return json(postForClient(ctx.core, post));
  },

  GetPostThread: (ctx) => {
    const post = readablePost(ctx);
    const rootId = post.root_id === '' ? post.id : post.root_id;
    const thread = [...ctx.core.state.posts.values()]
      .filter((p) => p.delete_at === 0 && (p.id === rootId || p.root_id === rootId))
      .sort((a, b) => b.create_at - a.create_at);
    return json(postList(ctx, thread));
  },

  CreatePostEphemeral: (ctx) => {
    requireAdmin(ctx);
    const userId = bodyString(ctx, 'user_id');
    requireUser(ctx.core, userId);
    const inner = optionalObject(body(ctx)['post'], 'post') ?? {};
    const channelId = typeof inner['channel_id'] === 'string' ? inner['channel_id'] : '';
    requireChannel(ctx.core, channelId);
    const post = sendEphemeral(ctx.core, userId, {
      channel_id: channelId, message: typeof inner['message'] === 'string' ? inner['message'] : '', user_id: caller(ctx).id,
      props: optionalObject(inner['props'], 'post.props'),
    });
    return json(postForClient(ctx.core, post), 201);
  },

  GetPostsForChannel: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    requireChannelPermission(ctx, channel, 'read_channel');
    let posts = ctx.core.state.postsInChannel(channel.id);
    const since = Number.parseInt(ctx.query.get('since') ?? '', 10);
    if (!Number.isNaN(since)) return json(postList(ctx, posts.filter((p) => p.update_at >= since)));
    const before = ctx.query.get('before');
    const after = ctx.query.get('after');
    if (before) {
      const at = ctx.core.state.post(before)?.create_at ?? 0;
      posts = posts.filter((p) => p.create_at < at);
    } else if (after) {
      const at = ctx.core.state.post(after)?.create_at ?? Number.MAX_SAFE_INTEGER;
      posts = posts.filter((p) => p.create_at > at);
    }
    const p = paging(ctx);
    const page = paginate(posts, p);
    const hasNext = posts.length > (p.page + 1) * p.perPage;
    return json(postList(ctx, page, {has_next: hasNext, prev_post_id: hasNext ? (page[page.length - 1]?.id ?? '') : ''}));
  },
};
