// Entities the simulator keeps, shaped like the Mattermost model structs they stand for (JSON field names).

export interface User {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  username: string;
  email: string;
  email_verified: boolean;
  first_name: string;
  last_name: string;
  nickname: string;
  position: string;
  /** Space separated system roles, e.g. "system_user system_admin". */
  roles: string;
  locale: string;
  auth_service: string;
  auth_data: string;
  is_bot: boolean;
  bot_description: string;
  props: Record<string, string>;
}

export interface Session {
  id: string;
  token: string;
  user_id: string;
  create_at: number;
  expires_at: number;
  last_activity_at: number;
  device_id: string;
  roles: string;
  is_oauth: boolean;
  props: Record<string, string>;
}

export interface AccessToken {
  id: string;
  token: string;
  user_id: string;
  description: string;
  is_active: boolean;
}

export interface Team {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  name: string;
  display_name: string;
  description: string;
  email: string;
  type: 'O' | 'I';
  invite_id: string;
  allow_open_invite: boolean;
  company_name: string;
  allowed_domains: string;
}

/** Team and channel memberships carry scheme flags; `roles` is derived from them plus explicit roles. */
export interface Membership {
  user_id: string;
  roles: string;
  explicit_roles: string;
  scheme_guest: boolean;
  scheme_user: boolean;
  scheme_admin: boolean;
}

export interface TeamMember extends Membership {
  team_id: string;
  delete_at: number;
}

export interface ChannelMember extends Membership {
  channel_id: string;
  last_viewed_at: number;
  msg_count: number;
  mention_count: number;
  last_update_at: number;
}

export type ChannelType = 'O' | 'P' | 'D' | 'G';

export interface Channel {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  team_id: string;
  type: ChannelType;
  name: string;
  display_name: string;
  header: string;
  purpose: string;
  creator_id: string;
  last_post_at: number;
  total_msg_count: number;
}

export interface Post {
  id: string;
  create_at: number;
  update_at: number;
  edit_at: number;
  delete_at: number;
  is_pinned: boolean;
  user_id: string;
  channel_id: string;
  root_id: string;
  original_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  hashtags: string;
  file_ids: string[];
  pending_post_id: string;
  metadata: Record<string, unknown>;
}

export interface FileInfo {
  id: string;
  user_id: string;
  post_id: string;
  channel_id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  name: string;
  extension: string;
  size: number;
  mime_type: string;
}

export interface StoredFile {
  info: FileInfo;
  content: Buffer;
}

export interface Command {
  id: string;
  token: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  creator_id: string;
  team_id: string;
  trigger: string;
  method: 'P' | 'G';
  username: string;
  icon_url: string;
  auto_complete: boolean;
  auto_complete_desc: string;
  auto_complete_hint: string;
  display_name: string;
  description: string;
  url: string;
}

/** The hook behind a command's response_url (model.CommandWebhook). */
export interface CommandWebhook {
  id: string;
  create_at: number;
  command_id: string;
  user_id: string;
  channel_id: string;
  team_id: string;
  root_id: string;
  use_count: number;
}

export interface IncomingWebhook {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  user_id: string;
  channel_id: string;
  team_id: string;
  display_name: string;
  description: string;
  username: string;
  icon_url: string;
  channel_locked: boolean;
}

export interface OutgoingWebhook {
  id: string;
  token: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  creator_id: string;
  channel_id: string;
  team_id: string;
  trigger_words: string[];
  trigger_when: number;
  callback_urls: string[];
  display_name: string;
  description: string;
  content_type: string;
  username: string;
  icon_url: string;
}

export interface Bot {
  user_id: string;
  username: string;
  display_name: string;
  description: string;
  owner_id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  last_icon_update: number;
}

export interface OAuthApp {
  id: string;
  creator_id: string;
  create_at: number;
  update_at: number;
  client_secret: string;
  name: string;
  description: string;
  icon_url: string;
  callback_urls: string[];
  homepage: string;
  is_trusted: boolean;
}

export interface Group {
  id: string;
  name: string;
  display_name: string;
  description: string;
  source: 'custom' | 'ldap';
  remote_id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  allow_reference: boolean;
}

export interface InstalledPlugin {
  id: string;
  manifest: Record<string, unknown>;
  /** The uploaded tar.gz, byte for byte. */
  bundle: Buffer;
  /** Regular files of the bundle by path relative to the plugin root (e.g. "webapp/dist/main.js"). */
  files: ReadonlyMap<string, Buffer>;
  enabled: boolean;
}

/** A dialog opened with POST /actions/dialogs/open; the real server pushes it to the user's clients. */
export interface OpenedDialog {
  user_id: string;
  trigger_id: string;
  url: string;
  dialog: Record<string, unknown>;
  opened_at: number;
}

export interface EphemeralPost {
  user_id: string;
  post: Post;
}
