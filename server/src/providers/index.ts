// The typed static registry of providers. Mattermost is always on (it is where people are resolved); any other
// provider is on when its section exists under `providers:` (loadConfig drops a section that says `enabled: false`).
import type {OffboardConfig} from '../config.js';
import {ConfigError} from '../engine/errors.js';
import type {AnyProvider, ProviderId} from '../engine/types.js';
import {awsProvider} from './aws/index.js';
import {githubProvider} from './github/index.js';
import {mattermostProvider} from './mattermost/index.js';

export const ALL_PROVIDERS: readonly AnyProvider[] = [mattermostProvider, githubProvider, awsProvider];

const ALWAYS_ON: readonly ProviderId[] = ['mattermost'];

function section(config: OffboardConfig, id: ProviderId): Record<string, unknown> | undefined {
  const value = (config.providers as Record<string, unknown> | undefined)?.[id];
  return value && typeof value === 'object' ? value as Record<string, unknown> : undefined;
}

export function enabledProviders(config: OffboardConfig): AnyProvider[] {
  return ALL_PROVIDERS.filter((p) => ALWAYS_ON.includes(p.id) || section(config, p.id) !== undefined);
}

/**
 * The provider's parsed section (defaults applied). The Mattermost provider also receives the connection of the
 * root `mattermost:` section, so the bot token is configured once.
 */
export function providerConfig(config: OffboardConfig, provider: AnyProvider): unknown {
  const id = provider.id;
  const parsed = provider.configSchema.safeParse(section(config, id) ?? {});
  if (!parsed.success) {
    throw new ConfigError(`providers.${id}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ')}`);
  }
  if (id !== 'mattermost') return parsed.data;
  return {
    ...(parsed.data as object),
    connection: {
      url: config.mattermost.url, token: config.mattermost.bot_token,
      timeoutMs: config.mattermost.request_timeout_ms,
    },
  };
}
