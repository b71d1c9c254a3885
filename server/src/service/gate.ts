// Builds the HTTP layer's Gate from mattermost/verify.ts: the command verifier, the signed-trigger check for
// buttons, and the fresh access check (system admin, allowed user or allowed group) used everywhere.
import type {Gate} from '../http/app.js';
import {isMattermostApiError} from '../mattermost/client.js';
import type {CommandCaller} from '../mattermost/command.js';
import type {RpcCaller} from '../mattermost/rpc.js';
import {CommandRefused, createCommandVerifier, verifyTriggerId} from '../mattermost/verify.js';
import type {ServiceDeps} from './deps.js';

export function buildGate(deps: ServiceDeps, commandTokens: () => readonly string[]): Gate {
  const {mm, clock, config} = deps;
  let cachedKey: string | undefined;
  const fetchPublicKey = async (): Promise<string | undefined> => {
    cachedKey = (await mm.getClientConfigOld()).AsymmetricSigningPublicKey;
    return cachedKey;
  };
  const verifier = createCommandVerifier({
    commandTokens,
    fetchPublicKey,
    getUser: (userId) => mm.getUser(userId),
    getUserGroupNames: async (userId) => {
      try {
        return (await mm.getUserGroups(userId)).map((g) => g.name);
      } catch (e) {
        // Groups need a licensed server (501 otherwise): without groups nobody is allowed through one.
        if (isMattermostApiError(e) && e.status === 501) return [];
        throw e;
      }
    },
    access: {allowedUsers: config.access.allowed_users, allowedGroups: config.access.allowed_groups},
    clock,
  });

  const toCaller = (v: {userId: string; username: string; isSystemAdmin: boolean}): RpcCaller => ({
    userId: v.userId, username: v.username, isSystemAdmin: v.isSystemAdmin,
  });

  return {
    async verifyCommand(request): Promise<CommandCaller> {
      const v = await verifier.verify(request);
      return {...toCaller(v), text: v.text, triggerId: v.triggerId, channelId: v.channelId, teamId: v.teamId};
    },
    authorize: async (userId) => toCaller(await verifier.authorize(userId)),
    async verifyTrigger(triggerId, userId) {
      const key = cachedKey ?? await fetchPublicKey() ?? '';
      try {
        verifyTriggerId(triggerId, key, clock.now(), undefined, userId);
      } catch (e) {
        // The server may have rotated its key: refresh once before refusing.
        if (!(e instanceof CommandRefused) || e.reason !== 'bad_trigger') throw e;
        verifyTriggerId(triggerId, await fetchPublicKey() ?? '', clock.now(), undefined, userId);
      }
    },
  };
}
