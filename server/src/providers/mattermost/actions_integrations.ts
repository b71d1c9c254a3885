// Actions on what the person created or could reuse: incoming webhooks (deleted), outgoing webhook, slash command and
// OAuth secrets and team invite links (rotated, compared by fingerprint), and bots (reassigned or disabled).
import {ConfigError, PermanentError} from '../../engine/errors.js';
import type {JsonObject, StepSpec} from '../../engine/types.js';
import type {MattermostBot, MattermostIncomingWebhook, MattermostUser} from '../../mattermost/client_types.js';
import {handler, orGone, type ActionHandler, type Observation} from './action_kit.js';
import type {OffboardMattermostClient} from './client.js';
import {type Action, fingerprint, fingerprintOf, paramBoolean, paramOptionalString, paramString} from './model.js';

type IntegrationAction = Extract<Action,
  'delete_incoming_webhook' | 'regenerate_outgoing_webhook_token' | 'regenerate_command_token'
  | 'regenerate_oauth_secret' | 'reassign_bot' | 'disable_bot' | 'regenerate_team_invite'>;

/**
 * A rotation is reached when the secret's fingerprint differs from the one seen at discovery, or the object is gone.
 * Without both fingerprints nothing can be proven, so that is a refusal rather than a guess.
 */
function rotated(
  step: StepSpec, what: string, idKey: string, id: string, current: string | null | undefined,
): Observation {
  const before = paramOptionalString(step, 'fingerprint');
  if (current === undefined) return {satisfied: true, evidence: {[idKey]: id, exists: false}};
  if (before === null) {
    throw new PermanentError(`Discovery could not read the ${what} (step ${step.id}), so a rotation cannot be proven; `
      + 're-run the inventory with a bot that may manage it.');
  }
  if (current === null) {
    throw new PermanentError(`Mattermost did not hand out the ${what} (step ${step.id}); the bot cannot manage it.`);
  }
  return {satisfied: current !== before, evidence: {[idKey]: id, fingerprint_before: before, fingerprint_now: current},
    remaining: `the ${what} is unchanged since discovery`};
}

const rotatedEvidence = (step: StepSpec, idKey: string, id: string, secret: string | undefined): JsonObject => ({
  [idKey]: id, fingerprint_before: paramOptionalString(step, 'fingerprint'), fingerprint_now: fingerprintOf(secret),
});

/**
 * A secret rotated in place: `current` reads its fingerprint now (undefined: the object is gone), `regenerate` makes
 * Mattermost issue a new one and returns it (with anything else worth keeping as evidence).
 */
function rotation(spec: {
  what: string;
  idKey: string;
  current(api: OffboardMattermostClient, id: string, step: StepSpec): Promise<string | null | undefined>;
  regenerate(api: OffboardMattermostClient, id: string): Promise<{secret: string | undefined; evidence?: JsonObject}>;
}): ActionHandler {
  return handler({
    async read(api, step) {
      const id = paramString(step, spec.idKey);
      return rotated(step, spec.what, spec.idKey, id, await spec.current(api, id, step));
    },
    async act(api, step) {
      const id = paramString(step, spec.idKey);
      const {secret, evidence} = await spec.regenerate(api, id);
      return {...rotatedEvidence(step, spec.idKey, id, secret), ...evidence};
    },
  });
}

interface BotState {
  readonly bot: MattermostBot;
  readonly owner: MattermostUser;
}

/** The configured new owner, which must be an active account: a bot owned by a deactivated user is disabled again. */
async function newOwner(api: OffboardMattermostClient, step: StepSpec): Promise<MattermostUser> {
  const username = paramString(step, 'new_owner');
  const owner = await orGone(api.getUserByUsername(username));
  if (!owner) throw new ConfigError(`providers.mattermost.bot_owner: there is no Mattermost user @${username}.`);
  if (owner.delete_at > 0) throw new ConfigError(`providers.mattermost.bot_owner: @${username} is deactivated.`);
  return owner;
}

export const integrationHandlers: Readonly<Record<IntegrationAction, ActionHandler>> = {
  delete_incoming_webhook: handler<MattermostIncomingWebhook>({
    async read(api, step): Promise<Observation<MattermostIncomingWebhook>> {
      const hookFingerprint = paramString(step, 'hook_fingerprint');
      // Found again by fingerprint among the team's hooks: the id is the hook's secret, so no step carries it.
      const hooks = await orGone(api.getIncomingHooks(paramString(step, 'team_id'))) ?? [];
      const hook = hooks.find((h) => h.delete_at === 0 && fingerprint(h.id) === hookFingerprint);
      return {satisfied: hook === undefined, evidence: {hook_fingerprint: hookFingerprint, exists: hook !== undefined},
        remaining: 'the webhook still exists', ...(hook ? {state: hook} : {})};
    },
    async act(api, step, before) {
      const hook = before.state as MattermostIncomingWebhook;
      await api.deleteIncomingHook(hook.id);
      return {hook_fingerprint: fingerprint(hook.id), display_name: hook.display_name, channel_id: hook.channel_id,
        deleted: true};
    },
  }),

  regenerate_outgoing_webhook_token: rotation({
    what: 'token', idKey: 'hook_id',
    async current(api, id) {
      const hook = await orGone(api.getOutgoingHook(id));
      return hook && hook.delete_at === 0 ? fingerprintOf(hook.token) : undefined;
    },
    regenerate: async (api, id) => ({secret: (await api.regenOutgoingHookToken(id)).token}),
  }),

  regenerate_command_token: rotation({
    what: 'token', idKey: 'command_id',
    async current(api, id, step) {
      // Listing the team's custom commands is the read that reliably carries tokens (GET /commands/{id} may not).
      const commands = await orGone(api.listCommands(paramString(step, 'team_id'), true)) ?? [];
      const command = commands.find((c) => c.id === id && c.delete_at === 0);
      return command ? fingerprintOf(command.token) : undefined;
    },
    regenerate: async (api, id) => ({secret: (await api.regenCommandToken(id)).token}),
  }),

  regenerate_oauth_secret: rotation({
    what: 'client secret', idKey: 'app_id',
    async current(api, id) {
      // The list is what system admins read unsanitized; apps are few, so it stays one or two pages.
      const app = (await api.getOAuthApps()).find((a) => a.id === id);
      return app ? fingerprintOf(app.client_secret) : undefined;
    },
    regenerate: async (api, id) => ({secret: (await api.regenOAuthAppSecret(id)).client_secret}),
  }),

  reassign_bot: handler<BotState>({
    async read(api, step): Promise<Observation<BotState>> {
      const botId = paramString(step, 'bot_user_id');
      const wasActive = paramBoolean(step, 'was_active');
      const owner = await newOwner(api, step);
      const bot = await orGone(api.getBot(botId));
      if (!bot) return {satisfied: true, evidence: {bot_user_id: botId, exists: false}};
      const owned = bot.owner_id === owner.id;
      const enabled = bot.delete_at === 0;
      return {
        satisfied: owned && (enabled || !wasActive),
        evidence: {bot_user_id: botId, owner_id: bot.owner_id, new_owner_id: owner.id, enabled, was_active: wasActive},
        remaining: owned ? 'the bot is still disabled' : 'the bot still belongs to the person',
        state: {bot, owner},
      };
    },
    async act(api, step, before) {
      const {bot, owner} = before.state as BotState;
      const wasActive = paramBoolean(step, 'was_active');
      let current = bot;
      if (current.owner_id !== owner.id) current = await api.assignBot(bot.user_id, owner.id);
      // Deactivating the owner disabled the bot (DisableBotsWhenOwnerIsDeactivated); it was working, so it comes back.
      if (wasActive && current.delete_at > 0) current = await api.enableBot(bot.user_id);
      return {bot_user_id: bot.user_id, bot_username: bot.username, previous_owner_id: bot.owner_id, owner_id: owner.id,
        owner_username: owner.username, enabled: current.delete_at === 0};
    },
  }),

  disable_bot: handler({
    async read(api, step) {
      const botId = paramString(step, 'bot_user_id');
      const bot = await orGone(api.getBot(botId));
      const enabled = bot !== undefined && bot.delete_at === 0;
      return {satisfied: !enabled, evidence: {bot_user_id: botId, exists: bot !== undefined, enabled},
        remaining: 'the bot is still enabled'};
    },
    async act(api, step) {
      const bot = await api.disableBot(paramString(step, 'bot_user_id'));
      return {bot_user_id: bot.user_id, bot_username: bot.username, enabled: bot.delete_at === 0};
    },
  }),

  regenerate_team_invite: rotation({
    what: 'invite id', idKey: 'team_id',
    async current(api, id) {
      const team = await orGone(api.getTeam(id));
      return team && team.delete_at === 0 ? fingerprintOf(team.invite_id) : undefined;
    },
    async regenerate(api, id) {
      const team = await api.regenerateTeamInviteId(id);
      return {secret: team.invite_id, evidence: {team_name: team.name}};
    },
  }),
};
