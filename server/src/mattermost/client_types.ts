// Mattermost REST v4 payloads the client sends and receives, with Mattermost's own JSON field names.
// Only the fields the service reads are typed; the server sends more. Source: shared/specs/mattermost-openapi-v4.json.

/** `{"status":"OK"}`, the answer of most mutating endpoints. */
export interface StatusOk {
  readonly status: string;
}

/** The JSON error body (`model.AppError`). */
export interface MattermostAppError {
  readonly id?: string;
  readonly message?: string;
  readonly detailed_error?: string;
  readonly request_id?: string;
  readonly status_code?: number;
}

export interface MattermostUser {
  readonly id: string;
  readonly create_at: number;
  readonly update_at: number;
  /** 0 while active; the deactivation time otherwise. */
  readonly delete_at: number;
  readonly username: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly nickname?: string;
  /** Hidden (empty) for callers without permission when privacy settings apply. */
  readonly email?: string;
  readonly auth_service?: string;
  readonly auth_data?: string;
  /** Space-separated role names, e.g. `system_user system_admin`. */
  readonly roles: string;
  readonly is_bot?: boolean;
  readonly bot_description?: string;
  readonly mfa_active?: boolean;
  readonly last_activity_at?: number;
  readonly props?: Readonly<Record<string, string>>;
}

/** `GET /api/v4/config/client?format=old`: every value is a string. */
export interface ClientConfigOld {
  /** Base64 SPKI DER of the ECDSA P-256 key that signs `trigger_id`s. */
  readonly AsymmetricSigningPublicKey?: string;
  readonly SiteURL?: string;
  readonly Version?: string;
  readonly BuildNumber?: string;
  readonly [key: string]: string | undefined;
}

export interface PingResponse {
  readonly status: string;
  readonly [key: string]: unknown;
}

export interface MattermostGroup {
  readonly id: string;
  readonly name: string;
  readonly display_name: string;
  readonly source: string;
  readonly remote_id?: string;
  readonly delete_at: number;
}

export interface MattermostTeam {
  readonly id: string;
  readonly name: string;
  readonly display_name: string;
  readonly type: string;
  readonly delete_at: number;
  readonly invite_id?: string;
  readonly allow_open_invite?: boolean;
}

export interface MattermostTeamMember {
  readonly team_id: string;
  readonly user_id: string;
  readonly roles: string;
  readonly delete_at: number;
  readonly scheme_user?: boolean;
  readonly scheme_admin?: boolean;
  readonly scheme_guest?: boolean;
  readonly explicit_roles?: string;
}

/** Body of the `…/schemeRoles` endpoints of team and channel members. */
export interface SchemeRoles {
  readonly scheme_admin: boolean;
  readonly scheme_user: boolean;
}

/** `O` public, `P` private, `D` direct, `G` group. */
export type ChannelType = 'O' | 'P' | 'D' | 'G';

export interface MattermostChannel {
  readonly id: string;
  readonly team_id: string;
  readonly type: ChannelType;
  readonly name: string;
  readonly display_name: string;
  readonly header?: string;
  readonly purpose?: string;
  readonly delete_at: number;
  readonly creator_id?: string;
  readonly create_at: number;
  readonly last_post_at?: number;
}

export interface ChannelCreate {
  readonly team_id: string;
  readonly name: string;
  readonly display_name: string;
  readonly type: 'O' | 'P';
  readonly purpose?: string;
  readonly header?: string;
}

export interface MattermostChannelMember {
  readonly channel_id: string;
  readonly user_id: string;
  readonly roles: string;
  readonly scheme_user?: boolean;
  readonly scheme_admin?: boolean;
  readonly scheme_guest?: boolean;
  readonly explicit_roles?: string;
  readonly last_viewed_at?: number;
}

/** A session as `GET /users/{user_id}/sessions` returns it (the server strips the token). */
export interface MattermostSession {
  readonly id: string;
  readonly user_id: string;
  readonly create_at: number;
  readonly expires_at: number;
  readonly last_activity_at: number;
  readonly device_id?: string;
  readonly roles?: string;
  readonly is_oauth?: boolean;
  readonly props?: Readonly<Record<string, string>>;
}

/** A personal access token without its secret (`UserAccessTokenSanitized`). */
export interface MattermostUserAccessToken {
  readonly id: string;
  readonly user_id: string;
  readonly description: string;
  readonly is_active: boolean;
}

export type JsonProps = Readonly<Record<string, unknown>>;

export interface MattermostPost {
  readonly id: string;
  readonly create_at: number;
  readonly update_at: number;
  readonly edit_at?: number;
  readonly delete_at: number;
  readonly user_id: string;
  readonly channel_id: string;
  readonly root_id: string;
  readonly message: string;
  readonly type: string;
  readonly props: JsonProps;
  readonly file_ids?: readonly string[];
}

export interface PostCreate {
  readonly channel_id: string;
  readonly message: string;
  readonly root_id?: string;
  /** `custom_*` types are rendered by webapp plugins. */
  readonly type?: string;
  readonly props?: JsonProps;
  readonly file_ids?: readonly string[];
}

/** `PUT /posts/{post_id}/patch`: omitted fields stay as they are. */
export interface PostPatch {
  readonly message?: string;
  readonly props?: JsonProps;
  readonly file_ids?: readonly string[];
  readonly is_pinned?: boolean;
}

/** `PUT /posts/{post_id}`: replaces the post; omitted fields are blanked by the server. */
export interface PostUpdate {
  readonly id: string;
  readonly message: string;
  readonly props?: JsonProps;
  readonly file_ids?: readonly string[];
  readonly is_pinned?: boolean;
}

export interface MattermostFileInfo {
  readonly id: string;
  readonly user_id: string;
  readonly post_id?: string;
  readonly name: string;
  readonly extension: string;
  readonly size: number;
  readonly mime_type: string;
  readonly create_at: number;
}

export interface FileUploadResponse {
  readonly file_infos: readonly MattermostFileInfo[];
  readonly client_ids?: readonly string[];
}

/** A slash command. `token` is a secret: never log or post it. */
export interface MattermostCommand {
  readonly id: string;
  readonly token: string;
  readonly create_at: number;
  readonly update_at: number;
  readonly delete_at: number;
  readonly creator_id: string;
  readonly team_id: string;
  readonly trigger: string;
  readonly method: 'P' | 'G';
  readonly username?: string;
  readonly icon_url?: string;
  readonly auto_complete: boolean;
  readonly auto_complete_desc?: string;
  readonly auto_complete_hint?: string;
  readonly display_name?: string;
  readonly description?: string;
  readonly url: string;
}

export interface CommandCreate {
  readonly team_id: string;
  readonly trigger: string;
  readonly method: 'P' | 'G';
  readonly url: string;
  readonly username?: string;
  readonly icon_url?: string;
  readonly auto_complete?: boolean;
  readonly auto_complete_desc?: string;
  readonly auto_complete_hint?: string;
  readonly display_name?: string;
  readonly description?: string;
}

export interface MattermostIncomingWebhook {
  readonly id: string;
  readonly create_at: number;
  readonly update_at: number;
  readonly delete_at: number;
  readonly user_id: string;
  readonly channel_id: string;
  readonly team_id: string;
  readonly display_name: string;
  readonly description: string;
  readonly username?: string;
  readonly channel_locked?: boolean;
}

/** An outgoing webhook. `token` is a secret: never log or post it. */
export interface MattermostOutgoingWebhook {
  readonly id: string;
  readonly token?: string;
  readonly create_at: number;
  readonly update_at: number;
  readonly delete_at: number;
  readonly creator_id: string;
  readonly team_id: string;
  readonly channel_id: string;
  readonly display_name: string;
  readonly description: string;
  readonly trigger_words: readonly string[];
  readonly callback_urls: readonly string[];
}

export interface MattermostBot {
  readonly user_id: string;
  readonly username: string;
  readonly display_name: string;
  readonly description: string;
  readonly owner_id: string;
  readonly create_at: number;
  readonly update_at: number;
  readonly delete_at: number;
}

/** An OAuth 2.0 app registered in Mattermost. `client_secret` is a secret: never log or post it. */
export interface MattermostOAuthApp {
  readonly id: string;
  readonly creator_id: string;
  readonly client_secret?: string;
  readonly name: string;
  readonly description: string;
  readonly homepage: string;
  readonly callback_urls: readonly string[];
  readonly is_trusted: boolean;
  readonly create_at: number;
  readonly update_at: number;
}

/** One input of an interactive dialog (https://developers.mattermost.com/integrate/plugins/interactive-dialogs/). */
export interface DialogElement {
  readonly display_name: string;
  readonly name: string;
  readonly type: 'text' | 'textarea' | 'select' | 'bool' | 'radio';
  readonly subtype?: 'email' | 'number' | 'password' | 'tel' | 'url';
  readonly default?: string;
  readonly placeholder?: string;
  readonly help_text?: string;
  readonly optional?: boolean;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly data_source?: 'users' | 'channels';
  readonly options?: readonly {readonly text: string; readonly value: string}[];
}

export interface InteractiveDialog {
  readonly callback_id?: string;
  /** At most 24 characters. */
  readonly title: string;
  readonly introduction_text?: string;
  readonly icon_url?: string;
  readonly elements: readonly DialogElement[];
  readonly submit_label?: string;
  readonly notify_on_cancel?: boolean;
  /** Echoed back on submit; the service puts an HMAC token here (see hmac.ts). */
  readonly state?: string;
}

export interface OpenDialogRequest {
  readonly trigger_id: string;
  readonly url: string;
  readonly dialog: InteractiveDialog;
}
