// model.CommandResponse: parsing an integration's reply and turning it into posts (app/command.go
// HandleCommandResponse / CreateCommandPost). Shared by /commands/execute and the response_url hook.

import type {SimCore} from './core.js';
import {ApiError, badRequest} from './errors.js';
import {createPost, sendEphemeral, validatePostType} from './ops_posts.js';

type Json = Record<string, unknown>;

export interface CommandResponse {
  response_type: string;
  text: string;
  username: string;
  channel_id: string;
  icon_url: string;
  type: string;
  props: Json | null;
  goto_location: string;
  trigger_id: string;
  skip_slack_parsing: boolean;
  attachments: unknown[] | null;
  extra_responses: CommandResponse[] | null;
}

export interface CommandArgs {
  readonly user_id: string;
  readonly channel_id: string;
  readonly team_id: string;
  readonly root_id: string;
  readonly command: string;
}

const emptyResponse = (): CommandResponse => ({
  response_type: '', text: '', username: '', channel_id: '', icon_url: '', type: '', props: null, goto_location: '',
  trigger_id: '', skip_slack_parsing: false, attachments: null, extra_responses: null,
});

const MAX_TEXT_RUNES = 65535;

/** CommandResponseFromJSON: Go's decoder rejects wrong types, then IsValid checks response_type and text length. */
export function commandResponseFromJson(value: unknown): CommandResponse {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('response is not a JSON object');
  const raw = value as Json;
  const out = emptyResponse();
  for (const key of ['response_type', 'text', 'username', 'channel_id', 'icon_url', 'type', 'goto_location', 'trigger_id'] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new Error(`json: cannot unmarshal ${typeof v} into field CommandResponse.${key} of type string`);
    out[key] = v;
  }
  if (raw['skip_slack_parsing'] !== undefined) out.skip_slack_parsing = raw['skip_slack_parsing'] === true;
  const props = raw['props'];
  if (props !== undefined && props !== null) {
    if (typeof props !== 'object' || Array.isArray(props)) throw new Error('json: cannot unmarshal props into StringInterface');
    out.props = props as Json;
  }
  if (raw['attachments'] !== undefined && raw['attachments'] !== null) {
    if (!Array.isArray(raw['attachments'])) throw new Error('json: cannot unmarshal attachments');
    out.attachments = raw['attachments'];
  }
  if (Array.isArray(raw['extra_responses'])) out.extra_responses = raw['extra_responses'].map(commandResponseFromJson);
  if (!['', 'in_channel', 'ephemeral'].includes(out.response_type)) throw new Error('invalid response type');
  if ([...out.text].length > MAX_TEXT_RUNES) throw new Error('text is too long');
  return out;
}

/** CommandResponseFromHTTPBody: JSON only when the Content-Type says so, anything else is plain text. */
export function commandResponseFromBody(contentType: string, body: Buffer): CommandResponse {
  if ((contentType.split(';')[0] ?? '').trim() === 'application/json') {
    return commandResponseFromJson(JSON.parse(body.toString('utf8')));
  }
  return {...emptyResponse(), text: body.toString('utf8')};
}

function responsePost(core: SimCore, args: CommandArgs, response: CommandResponse): void {
  let channelId = args.channel_id;
  if (response.channel_id !== '') {
    if (core.state.channelMember(response.channel_id, args.user_id) === undefined) {
      throw new ApiError(403, 'api.command.command_post.forbidden.app_error', 'Specified user is not a member of specified channel.');
    }
    channelId = response.channel_id;
  }
  // A custom command's reply is marked as coming from an integration.
  const props: Json = {...(response.props ?? {}), from_webhook: 'true'};
  let type = response.type;
  if (type.startsWith('system_')) throw badRequest('api.context.invalid_param.app_error', 'Invalid post.type parameter.');
  if (response.attachments !== null) {
    props['attachments'] = response.attachments;
    if (type === '') type = 'slack_attachment';
  }
  if (response.response_type === 'in_channel') {
    validatePostType(type);
    createPost(core, {channel_id: channelId, user_id: args.user_id, message: response.text, root_id: args.root_id, type, props});
    return;
  }
  // Ephemeral (the default): only a reply with text or attachments reaches the user; an empty one creates nothing.
  if (response.text !== '' || response.attachments !== null) {
    sendEphemeral(core, args.user_id, {channel_id: channelId, message: response.text, root_id: args.root_id, props});
  }
}

export function commandTrigger(command: string): string {
  return (command.split(' ')[0] ?? '').slice(1).toLowerCase();
}

/** Posts the reply and any extra responses; a failure in any of them fails the whole command. */
export function handleCommandResponse(core: SimCore, args: CommandArgs, response: CommandResponse): void {
  let failed = false;
  for (const r of [response, ...(response.extra_responses ?? [])]) {
    try {
      responsePost(core, args, r);
    } catch {
      failed = true;
    }
  }
  if (failed) {
    throw new ApiError(500, 'api.command.execute_command.create_post_failed.app_error',
      `Command '${commandTrigger(args.command)}' failed to post response. Please contact your System Administrator.`);
  }
}
