// Posts, files and ephemeral posts. Clients never see an action's `integration` (url + context stay between the
// server and the integration: model.Post.StripActionIntegrations).

import type {SimCore} from './core.js';
import {emit} from './core.js';
import {badRequest, postNotFound} from './errors.js';
import {newId} from './ids.js';
import type {FileInfo, Post, StoredFile} from './types.js';

export interface NewPost {
  channel_id: string;
  user_id: string;
  message: string;
  root_id?: string;
  type?: string;
  props?: Record<string, unknown>;
  file_ids?: string[];
}

const MAX_FILES_PER_POST = 5;
const MAX_MESSAGE_RUNES = 16383;

/** Post types a client may set: empty, slack_attachment, or custom_* (system_* types are the server's). */
export function validatePostType(type: string): void {
  if (type !== '' && type !== 'slack_attachment' && !type.startsWith('custom_')) {
    throw badRequest('model.post.is_valid.type.app_error', 'Invalid type.');
  }
}

export function createPost(core: SimCore, input: NewPost): Post {
  const {state} = core;
  const type = input.type ?? '';
  validatePostType(type);
  if ([...input.message].length > MAX_MESSAGE_RUNES) {
    throw badRequest('model.post.is_valid.message_length.app_error', 'Message property length is greater than the maximum allowed.');
  }
  const rootId = input.root_id ?? '';
  if (rootId !== '') {
    const root = state.post(rootId);
    if (root === undefined || root.channel_id !== input.channel_id || root.delete_at !== 0) {
      throw badRequest('api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
    }
  }
  const fileIds = input.file_ids ?? [];
  if (fileIds.length > MAX_FILES_PER_POST) {
    throw badRequest('model.post.is_valid.file_ids.app_error', 'Invalid file ids. Note that uploads are limited to 5 files maximum.');
  }
  const attachable = fileIds.map((id) => state.files.get(id)).filter(
    (f): f is StoredFile => f !== undefined && f.info.user_id === input.user_id && f.info.channel_id === input.channel_id && f.info.post_id === '',
  );
  // Like the server, files that are not this user's fresh uploads to this channel are silently dropped.
  const now = Math.max(Date.now(), lastCreateAt(core, input.channel_id) + 1);
  const post: Post = {
    id: newId(), create_at: now, update_at: now, edit_at: 0, delete_at: 0, is_pinned: false, user_id: input.user_id,
    channel_id: input.channel_id, root_id: rootId, original_id: '', message: input.message, type,
    props: structuredClone(input.props ?? {}), hashtags: '', file_ids: attachable.map((f) => f.info.id), pending_post_id: '',
    metadata: {},
  };
  generateActionIds(post);
  for (const f of attachable) f.info.post_id = post.id;
  state.posts.set(post.id, post);
  const channel = state.channel(input.channel_id);
  if (channel !== undefined) {
    channel.last_post_at = now;
    channel.total_msg_count += 1;
  }
  emit(core, 'posted', {post: postForClient(core, post)});
  return post;
}

/** Keeps create_at strictly increasing per channel so "newest first" is well defined even within a millisecond. */
function lastCreateAt(core: SimCore, channelId: string): number {
  return core.state.postsInChannel(channelId)[0]?.create_at ?? 0;
}

export function requirePost(core: SimCore, postId: string): Post {
  const post = core.state.post(postId);
  if (post === undefined || post.delete_at !== 0) throw postNotFound();
  return post;
}

export interface PostChanges {
  message?: string;
  props?: Record<string, unknown>;
  file_ids?: string[];
  is_pinned?: boolean;
}

/** Applies an edit; a changed message sets edit_at like app.UpdatePost. */
export function updatePost(core: SimCore, post: Post, changes: PostChanges): Post {
  const now = Date.now();
  if (changes.message !== undefined && changes.message !== post.message) {
    post.message = changes.message;
    post.edit_at = now;
  }
  if (changes.props !== undefined) post.props = structuredClone(changes.props);
  if (changes.file_ids !== undefined) post.file_ids = [...changes.file_ids];
  if (changes.is_pinned !== undefined) post.is_pinned = changes.is_pinned;
  post.update_at = now;
  generateActionIds(post);
  emit(core, 'post_edited', {post: postForClient(core, post)});
  return post;
}

/** Ephemeral posts reach one user's clients only; they get an id but are never stored in the channel. */
export function sendEphemeral(core: SimCore, userId: string, input: Omit<NewPost, 'user_id'> & {user_id?: string}): Post {
  const now = Date.now();
  const post: Post = {
    id: newId(), create_at: now, update_at: now, edit_at: 0, delete_at: 0, is_pinned: false, user_id: input.user_id ?? userId,
    channel_id: input.channel_id, root_id: input.root_id ?? '', original_id: '', message: input.message, type: 'system_ephemeral',
    props: structuredClone(input.props ?? {}), hashtags: '', file_ids: [], pending_post_id: '', metadata: {},
  };
  core.state.ephemeral.push({user_id: userId, post});
  emit(core, 'ephemeral', {user_id: userId, post: postForClient(core, post)});
  return post;
}

type Json = Record<string, unknown>;

function attachmentActions(props: Json): Json[] {
  const attachments = props['attachments'];
  if (!Array.isArray(attachments)) return [];
  const actions: Json[] = [];
  for (const att of attachments) {
    if (att !== null && typeof att === 'object' && Array.isArray((att as Json)['actions'])) {
      for (const a of (att as Json)['actions'] as unknown[]) if (a !== null && typeof a === 'object') actions.push(a as Json);
    }
  }
  return actions;
}

/** model.Post.GenerateActionIds: actions without an id get one so they can be clicked. */
function generateActionIds(post: Post): void {
  for (const action of attachmentActions(post.props)) {
    if (typeof action['id'] !== 'string' || action['id'] === '') action['id'] = newId();
  }
}

export function findAction(post: Post, actionId: string): Json | undefined {
  return attachmentActions(post.props).find((a) => a['id'] === actionId);
}

export function postForClient(core: SimCore, post: Post): Json {
  const props = structuredClone(post.props);
  for (const action of attachmentActions(props)) delete action['integration'];
  const files = post.file_ids.map((id) => core.state.files.get(id)?.info).filter((f): f is FileInfo => f !== undefined);
  const metadata: Json = {...post.metadata};
  if (files.length > 0) metadata['files'] = files.map(fileInfoForClient);
  return {...post, props, metadata, reply_count: post.root_id === '' ? replyCount(core, post.id) : 0};
}

function replyCount(core: SimCore, rootId: string): number {
  let n = 0;
  for (const p of core.state.posts.values()) if (p.root_id === rootId && p.delete_at === 0) n += 1;
  return n;
}

export function storeFile(core: SimCore, input: {user_id: string; channel_id: string; name: string; mime_type: string; content: Buffer}): FileInfo {
  const now = Date.now();
  const dot = input.name.lastIndexOf('.');
  const info: FileInfo = {
    id: newId(), user_id: input.user_id, post_id: '', channel_id: input.channel_id, create_at: now, update_at: now, delete_at: 0,
    name: input.name, extension: dot >= 0 ? input.name.slice(dot + 1).toLowerCase() : '', size: input.content.length,
    mime_type: input.mime_type,
  };
  core.state.files.set(info.id, {info, content: input.content});
  return info;
}

export function fileInfoForClient(info: FileInfo): Json {
  return {...info, width: 0, height: 0, has_preview_image: false, mini_preview: null, archived: false};
}
