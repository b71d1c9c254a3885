// What every route and state operation shares: the store, the server settings, events and the signing key.

import {EventEmitter} from 'node:events';
import {SimState} from './state.js';
import {generateSigningKey} from './trigger_id.js';
import type {SigningKey} from './trigger_id.js';

/** Server settings the simulator honours (names follow Mattermost's config.json). */
export interface SimConfig {
  /** ServiceSettings.SiteURL; response_url and the client config use it. Defaults to the simulator's own URL. */
  siteUrl: string;
  version: string;
  buildNumber: string;
  /** ServiceSettings.OutgoingIntegrationRequestsTimeout, in ms (slash commands, dialogs, post actions). */
  commandTimeoutMs: number;
  /** How old a trigger_id may be when a dialog is opened with it. */
  triggerIdMaxAgeMs: number;
  enableCommands: boolean;
  /** TeamSettings.EnableUserDeactivation: may users deactivate themselves. */
  enableUserDeactivation: boolean;
  disableBotsWhenOwnerIsDeactivated: boolean;
  enablePluginUploads: boolean;
}

/**
 * In-process events, for a websocket layer to hang off later:
 * `posted` and `post_edited` carry `{post}` (as clients see it), `ephemeral` carries `{user_id, post}`,
 * `open_dialog` carries the OpenedDialog.
 */
export type SimEventName = 'posted' | 'post_edited' | 'ephemeral' | 'open_dialog';

export interface SimCore {
  readonly state: SimState;
  readonly config: SimConfig;
  readonly events: EventEmitter;
  readonly signing: SigningKey;
}

export const DEFAULT_CONFIG: SimConfig = {
  siteUrl: '',
  version: '10.5.0',
  buildNumber: '10.5.0',
  commandTimeoutMs: 30_000,
  triggerIdMaxAgeMs: 30_000,
  enableCommands: true,
  enableUserDeactivation: false,
  disableBotsWhenOwnerIsDeactivated: true,
  enablePluginUploads: true,
};

export function createCore(config: Partial<SimConfig> = {}): SimCore {
  return {state: new SimState(), config: {...DEFAULT_CONFIG, ...config}, events: new EventEmitter(), signing: generateSigningKey()};
}

export function emit(core: SimCore, name: SimEventName, payload: unknown): void {
  core.events.emit(name, payload);
}
