// The simulator's in-memory store with typed read accessors. Mutations with Mattermost's semantics live in ops_*.ts.

import type {
  AccessToken, Bot, Channel, ChannelMember, Command, CommandWebhook, EphemeralPost, Group, IncomingWebhook,
  InstalledPlugin, OAuthApp, OpenedDialog, OutgoingWebhook, Post, Session, StoredFile, Team, TeamMember, User,
} from './types.js';

const memberKey = (scopeId: string, userId: string): string => `${scopeId}:${userId}`;

export class SimState {
  readonly users = new Map<string, User>();
  readonly sessions = new Map<string, Session>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly teams = new Map<string, Team>();
  readonly teamMembers = new Map<string, TeamMember>();
  readonly channels = new Map<string, Channel>();
  readonly channelMembers = new Map<string, ChannelMember>();
  readonly posts = new Map<string, Post>();
  readonly files = new Map<string, StoredFile>();
  readonly commands = new Map<string, Command>();
  readonly commandWebhooks = new Map<string, CommandWebhook>();
  readonly incomingWebhooks = new Map<string, IncomingWebhook>();
  readonly outgoingWebhooks = new Map<string, OutgoingWebhook>();
  readonly bots = new Map<string, Bot>();
  readonly oauthApps = new Map<string, OAuthApp>();
  /** user id → ids of OAuth apps the user has authorized (the server keeps these as "oauth_app" preferences). */
  readonly oauthAuthorizations = new Map<string, Set<string>>();
  readonly groups = new Map<string, Group>();
  /** group id → member user ids. */
  readonly groupMembers = new Map<string, Set<string>>();
  readonly plugins = new Map<string, InstalledPlugin>();
  readonly dialogs: OpenedDialog[] = [];
  /** Ephemeral posts are shown to one user only and never stored in the channel. */
  readonly ephemeral: EphemeralPost[] = [];

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  userByUsername(username: string): User | undefined {
    const wanted = username.toLowerCase();
    for (const u of this.users.values()) if (u.username === wanted) return u;
    return undefined;
  }

  userByEmail(email: string): User | undefined {
    const wanted = email.toLowerCase();
    for (const u of this.users.values()) if (u.email.toLowerCase() === wanted) return u;
    return undefined;
  }

  sessionsOf(userId: string): Session[] {
    return [...this.sessions.values()].filter((s) => s.user_id === userId);
  }

  sessionByToken(token: string): Session | undefined {
    for (const s of this.sessions.values()) if (s.token === token) return s;
    return undefined;
  }

  tokensOf(userId: string): AccessToken[] {
    return [...this.accessTokens.values()].filter((t) => t.user_id === userId);
  }

  accessTokenByToken(token: string): AccessToken | undefined {
    for (const t of this.accessTokens.values()) if (t.token === token) return t;
    return undefined;
  }

  team(id: string): Team | undefined {
    return this.teams.get(id);
  }

  teamByName(name: string): Team | undefined {
    for (const t of this.teams.values()) if (t.name === name) return t;
    return undefined;
  }

  /** The membership row, including one left behind (delete_at > 0) when the user was removed. */
  teamMember(teamId: string, userId: string): TeamMember | undefined {
    return this.teamMembers.get(memberKey(teamId, userId));
  }

  isTeamMember(teamId: string, userId: string): boolean {
    const m = this.teamMember(teamId, userId);
    return m !== undefined && m.delete_at === 0;
  }

  teamMembersOf(teamId: string): TeamMember[] {
    return [...this.teamMembers.values()].filter((m) => m.team_id === teamId && m.delete_at === 0);
  }

  teamMembershipsOfUser(userId: string): TeamMember[] {
    return [...this.teamMembers.values()].filter((m) => m.user_id === userId && m.delete_at === 0);
  }

  channel(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  channelByName(teamId: string, name: string): Channel | undefined {
    for (const c of this.channels.values()) if (c.team_id === teamId && c.name === name) return c;
    return undefined;
  }

  channelsOfTeam(teamId: string): Channel[] {
    return [...this.channels.values()].filter((c) => c.team_id === teamId);
  }

  channelMember(channelId: string, userId: string): ChannelMember | undefined {
    return this.channelMembers.get(memberKey(channelId, userId));
  }

  channelMembersOf(channelId: string): ChannelMember[] {
    return [...this.channelMembers.values()].filter((m) => m.channel_id === channelId);
  }

  channelMembershipsOfUser(userId: string): ChannelMember[] {
    return [...this.channelMembers.values()].filter((m) => m.user_id === userId);
  }

  setTeamMember(member: TeamMember): void {
    this.teamMembers.set(memberKey(member.team_id, member.user_id), member);
  }

  setChannelMember(member: ChannelMember): void {
    this.channelMembers.set(memberKey(member.channel_id, member.user_id), member);
  }

  deleteChannelMember(channelId: string, userId: string): boolean {
    return this.channelMembers.delete(memberKey(channelId, userId));
  }

  post(id: string): Post | undefined {
    return this.posts.get(id);
  }

  /** Live posts of a channel, newest first. */
  postsInChannel(channelId: string): Post[] {
    return [...this.posts.values()]
      .filter((p) => p.channel_id === channelId && p.delete_at === 0)
      .sort((a, b) => b.create_at - a.create_at);
  }

  command(id: string): Command | undefined {
    const c = this.commands.get(id);
    return c !== undefined && c.delete_at === 0 ? c : undefined;
  }

  commandsOfTeam(teamId: string): Command[] {
    return [...this.commands.values()].filter((c) => c.team_id === teamId && c.delete_at === 0);
  }

  incomingWebhook(id: string): IncomingWebhook | undefined {
    const h = this.incomingWebhooks.get(id);
    return h !== undefined && h.delete_at === 0 ? h : undefined;
  }

  outgoingWebhook(id: string): OutgoingWebhook | undefined {
    const h = this.outgoingWebhooks.get(id);
    return h !== undefined && h.delete_at === 0 ? h : undefined;
  }

  bot(userId: string): Bot | undefined {
    return this.bots.get(userId);
  }

  botsOwnedBy(userId: string): Bot[] {
    return [...this.bots.values()].filter((b) => b.owner_id === userId);
  }

  oauthApp(id: string): OAuthApp | undefined {
    return this.oauthApps.get(id);
  }

  groupsOfUser(userId: string): Group[] {
    return [...this.groups.values()].filter((g) => g.delete_at === 0 && (this.groupMembers.get(g.id)?.has(userId) ?? false));
  }

  dialogsFor(userId: string): OpenedDialog[] {
    return this.dialogs.filter((d) => d.user_id === userId);
  }

  ephemeralFor(userId: string): EphemeralPost[] {
    return this.ephemeral.filter((e) => e.user_id === userId);
  }
}
