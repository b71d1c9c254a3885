// What the service's operations need, gathered once at start: config, store, clock, logger, Mattermost, providers.
import type {OffboardConfig} from '../config.js';
import type {RunStore} from '../engine/ports.js';
import type {AnyProvider, Clock, Logger, ProviderContext, ProviderId} from '../engine/types.js';
import type {MattermostClient} from '../mattermost/client.js';
import type {RunProgressSink} from '../mattermost/progress.js';

export interface ServiceDeps {
  readonly config: OffboardConfig;
  readonly store: RunStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** Talks to Mattermost as the offboarding bot. */
  readonly mm: MattermostClient;
  /** The bot's own user id: the bot is never offboarded and is the actor of CLI runs. */
  readonly botUserId: string;
  /** Enabled providers, in registry order. */
  readonly providers: readonly AnyProvider[];
  /** A fresh context for one provider call; `signal` aborts that call only. */
  contextFor(providerId: ProviderId, signal?: AbortSignal): ProviderContext<unknown>;
  /** Background work (inventories) that tests and shutdown can wait for. */
  readonly background: Set<Promise<unknown>>;
  /** The run channel and card in Mattermost (mattermost/progress.ts); absent where nothing is posted. */
  readonly progress?: RunProgressSink;
}

export function providerById(deps: ServiceDeps, id: ProviderId): AnyProvider | undefined {
  return deps.providers.find((p) => p.id === id);
}
