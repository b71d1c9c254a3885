// An in-memory Mattermost for the progress reporter's unit tests: the calls it makes, with Mattermost's answers for the
// cases that matter (404, 403 on foreign private channels, name taken, files attached once) and injectable failures.
import {TransientError} from '../../engine/errors.js';
import {type ApiRoute, type HttpMethod, MattermostApiError, type RequestOptions} from '../client.js';
import type {
  ChannelCreate, MattermostChannel, MattermostChannelMember, MattermostFileInfo, MattermostPost, MattermostTeam,
  MattermostTeamMember, MattermostUser, PostCreate, PostPatch,
} from '../client_types.js';
import type {ProgressClient} from '../progress.js';

export interface FakeFile {
  readonly info: MattermostFileInfo;
  readonly content: string;
}

export function notFound(route: string): MattermostApiError {
  return new MattermostApiError(`Mattermost ${route}: not found`, {status: 404, route});
}

/** A 500: the client maps it to TransientError in production; tests only need something that throws. */
export function serverError(route: string): TransientError {
  return new TransientError(`Mattermost ${route} answered 500`);
}

export class FakeMattermost implements ProgressClient {
  readonly calls: string[] = [];
  readonly users = new Map<string, MattermostUser>();
  readonly teams = new Map<string, MattermostTeam>();
  readonly teamMembers = new Set<string>();
  readonly channels = new Map<string, MattermostChannel>();
  readonly channelMembers = new Set<string>();
  readonly posts = new Map<string, MattermostPost>();
  readonly files = new Map<string, FakeFile>();
  /** Channels the bot may not read (other people's private channels): lookups answer 403. */
  readonly foreign = new Set<string>();
  private readonly failures = new Map<string, {error: unknown; times: number}>();
  private counter = 0;
  private time = 1_700_000_000_000;

  constructor(readonly botUserId: string) {}

  /** The next `times` calls of `method` throw `error` (Infinity: until cleared with times 0). */
  fail(method: string, error: unknown, times = 1): void {
    if (times <= 0) this.failures.delete(method);
    else this.failures.set(method, {error, times});
  }

  addUser(username: string, extra: Partial<MattermostUser> = {}): MattermostUser {
    const user: MattermostUser = {id: this.id(), create_at: 1, update_at: 1, delete_at: 0, username, roles: 'system_user',
      ...extra};
    this.users.set(user.id, user);
    return user;
  }

  addTeam(name: string): MattermostTeam {
    const team: MattermostTeam = {id: this.id(), name, display_name: name, type: 'O', delete_at: 0};
    this.teams.set(team.id, team);
    return team;
  }

  postsIn(channelId: string): MattermostPost[] {
    return [...this.posts.values()].filter((p) => p.channel_id === channelId).sort((a, b) => a.create_at - b.create_at);
  }

  replies(rootId: string): MattermostPost[] {
    return [...this.posts.values()].filter((p) => p.root_id === rootId).sort((a, b) => a.create_at - b.create_at);
  }

  async getTeamByName(name: string): Promise<MattermostTeam> {
    this.enter('getTeamByName');
    const team = [...this.teams.values()].find((t) => t.name === name);
    if (!team) throw notFound('/teams/name/{name}');
    return team;
  }

  async getTeamMembersForUser(userId: string): Promise<MattermostTeamMember[]> {
    this.enter('getTeamMembersForUser');
    return [...this.teamMembers].filter((k) => k.endsWith(`:${userId}`))
      .map((k) => ({team_id: k.split(':')[0] ?? '', user_id: userId, roles: 'team_user', delete_at: 0}));
  }

  async addTeamMember(teamId: string, userId: string): Promise<MattermostTeamMember> {
    this.enter('addTeamMember');
    this.teamMembers.add(`${teamId}:${userId}`);
    return {team_id: teamId, user_id: userId, roles: 'team_user', delete_at: 0};
  }

  async getChannelByName(teamId: string, name: string): Promise<MattermostChannel> {
    this.enter('getChannelByName');
    const channel = [...this.channels.values()].find((c) => c.team_id === teamId && c.name === name);
    if (!channel) throw notFound('/teams/{team_id}/channels/name/{channel_name}');
    if (this.foreign.has(channel.id)) {
      throw new MattermostApiError('forbidden', {status: 403, route: '/teams/{team_id}/channels/name/{channel_name}'});
    }
    return channel;
  }

  async createChannel(input: ChannelCreate): Promise<MattermostChannel> {
    this.enter('createChannel');
    if ([...this.channels.values()].some((c) => c.team_id === input.team_id && c.name === input.name)) {
      throw new MattermostApiError('A channel with that name already exists', {status: 400, route: '/channels',
        serverErrorId: 'store.sql_channel.save_channel.exists.app_error'});
    }
    const channel: MattermostChannel = {...input, id: this.id(), delete_at: 0, create_at: this.tick(),
      creator_id: this.botUserId};
    this.channels.set(channel.id, channel);
    this.channelMembers.add(`${channel.id}:${this.botUserId}`);
    return channel;
  }

  async addChannelMember(channelId: string, userId: string): Promise<MattermostChannelMember> {
    this.enter('addChannelMember');
    const channel = this.channels.get(channelId);
    if (!channel) throw notFound('/channels/{channel_id}/members');
    if (!this.teamMembers.has(`${channel.team_id}:${userId}`)) {
      throw new MattermostApiError('Failed to add user to channel because they have been removed from the team.',
        {status: 400, route: '/channels/{channel_id}/members'});
    }
    this.channelMembers.add(`${channelId}:${userId}`);
    return {channel_id: channelId, user_id: userId, roles: 'channel_user'};
  }

  async getUserByUsername(username: string): Promise<MattermostUser> {
    this.enter('getUserByUsername');
    const user = [...this.users.values()].find((u) => u.username === username);
    if (!user) throw notFound('/users/username/{username}');
    return user;
  }

  async createPost(input: PostCreate): Promise<MattermostPost> {
    this.enter('createPost');
    if ([...input.message].length > 16_383) {
      throw new MattermostApiError('message too long', {status: 400, route: '/posts'});
    }
    const at = this.tick();
    const post: MattermostPost = {id: this.id(), create_at: at, update_at: at, edit_at: 0, delete_at: 0,
      user_id: this.botUserId, channel_id: input.channel_id, root_id: input.root_id ?? '', message: input.message,
      type: input.type ?? '', props: structuredClone(input.props ?? {}), file_ids: [...(input.file_ids ?? [])]};
    this.posts.set(post.id, post);
    return post;
  }

  async patchPost(postId: string, patch: PostPatch): Promise<MattermostPost> {
    this.enter('patchPost');
    const post = this.posts.get(postId);
    if (!post) throw notFound('/posts/{post_id}/patch');
    const updated: MattermostPost = {...post, update_at: this.tick(), edit_at: this.time,
      ...(patch.message === undefined ? {} : {message: patch.message}),
      ...(patch.props === undefined ? {} : {props: structuredClone(patch.props)})};
    this.posts.set(postId, updated);
    return updated;
  }

  async getPost(postId: string): Promise<MattermostPost> {
    this.enter('getPost');
    const post = this.posts.get(postId);
    if (!post) throw notFound('/posts/{post_id}');
    return post;
  }

  async uploadFile(channelId: string, name: string, bytes: Uint8Array, contentType: string):
    Promise<MattermostFileInfo> {
    this.enter('uploadFile');
    const info = {id: this.id(), user_id: this.botUserId, channel_id: channelId, name, mime_type: contentType,
      size: bytes.length} as unknown as MattermostFileInfo;
    this.files.set(info.id, {info, content: Buffer.from(bytes).toString('utf8')});
    return info;
  }

  async request<T>(method: HttpMethod, path: string | ApiRoute, _options?: RequestOptions): Promise<T> {
    const route = typeof path === 'string' ? {template: path, path} : path;
    this.enter(`${method} ${route.template}`);
    const id = route.path.split('/')[2] ?? '';
    const list = (posts: MattermostPost[]) => ({order: posts.map((p) => p.id),
      posts: Object.fromEntries(posts.map((p) => [p.id, p]))}) as T;
    if (method === 'GET' && route.template === '/posts/{post_id}/thread') {
      return list([...this.posts.values()].filter((p) => p.id === id || p.root_id === id));
    }
    if (method === 'GET' && route.template === '/channels/{channel_id}/posts') return list(this.postsIn(id));
    throw notFound(route.template);
  }

  private enter(method: string): void {
    this.calls.push(method);
    const failure = this.failures.get(method);
    if (!failure) return;
    failure.times -= 1;
    if (failure.times <= 0) this.failures.delete(method);
    throw failure.error;
  }

  private id(): string {
    this.counter += 1;
    return `fake${String(this.counter).padStart(22, '0')}`;
  }

  private tick(): number {
    this.time += 1;
    return this.time;
  }
}
