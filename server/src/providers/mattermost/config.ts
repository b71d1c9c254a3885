// Configuration of the Mattermost provider: the `providers.mattermost` YAML section, and the connection the service
// adds from the root `mattermost:` section (server/src/providers/index.ts providerConfig) so the bot token lives once.
import {z} from 'zod';

export const ACCOUNT_ACTIONS = ['deactivate', 'keep'] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

/** What the admin writes under `providers.mattermost`. */
export const mattermostSectionSchema = z.strictObject({
  bot_owner: z.string().trim().min(1, 'must not be empty').transform((u) => u.replace(/^@/, '')).optional(),
  default_account_action: z.enum(ACCOUNT_ACTIONS).default('deactivate'),
});

export type MattermostSection = z.output<typeof mattermostSectionSchema>;

/** Filled in by the service from `mattermost.url`, `mattermost.bot_token` and `mattermost.request_timeout_ms`. */
export interface MattermostConnection {
  readonly url: string;
  readonly token: string;
  readonly timeoutMs: number;
}

export type MattermostProviderConfig = MattermostSection & {readonly connection: MattermostConnection};

/**
 * The provider contract types `configSchema` as the schema of the whole runtime config, but the service validates only
 * the YAML section with it and adds `connection` afterwards. The cast states that; connectionOf() checks at runtime
 * that the connection really arrived.
 */
export const configSchema = mattermostSectionSchema as unknown as z.ZodType<MattermostProviderConfig>;

const connectionSchema = z.object({
  url: z.string().min(1),
  token: z.string().min(1),
  timeoutMs: z.number().int().positive(),
});

/** The connection of a context's config, or a ConfigError-worthy message when it is missing. */
export function parseConnection(config: unknown): MattermostConnection | undefined {
  const value = (config as {connection?: unknown} | null | undefined)?.connection;
  const parsed = connectionSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export const configExample = `  mattermost:
    # Username that bots owned by the person are reassigned to. Without it, their bots are disabled.
    # bot_owner: it-admin
    # What happens to the account unless the admin picks otherwise in the checklist: deactivate, or keep
    # (all access stripped, the account stays usable for a re-hire or a legal hold).
    default_account_action: deactivate
`;
