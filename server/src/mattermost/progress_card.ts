// Creates a run's channel and card once, recording both on the run (and in its audit trail). Safe to repeat after a
// failure or a crash: the channel is found again by its purpose and the card by its run id.
import type {RunStore} from '../engine/ports.js';
import type {Clock, Json, Logger, Run, Step} from '../engine/types.js';
import {apiRoute, isMattermostApiError, isNotFound, type MattermostClient} from './client.js';
import type {MattermostPost} from './client_types.js';
import {ensureRunChannel, type RunChannelClient} from './run_channel.js';
import {cardFingerprint, type RenderedPost, RUN_POST_TYPE} from './run_card.js';

// ServiceSettings.PostEditTimeLimit: Mattermost refuses edits of posts older than the limit.
const EDIT_TIME_LIMIT = 'api.post.update_post.permissions_time_limit.app_error';

export type CardClient = RunChannelClient & Pick<MattermostClient, 'createPost' | 'getPost' | 'request'>;

export interface EnsureCardDeps {
  readonly store: RunStore;
  readonly mm: CardClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly botUserId: string;
  readonly teamName: string;
  readonly reviewers: readonly string[];
  render(run: Run, steps: readonly Step[]): RenderedPost;
}

export interface EnsuredCard {
  readonly run: Run;
  /** What the card shows; undefined when an existing card was adopted (its content is unknown). */
  readonly fingerprint: string | undefined;
}

/** Channel first (stored at once, so a later failure never creates a second one), then the card. */
export async function ensureCard(deps: EnsureCardDeps, run: Run, steps: readonly Step[]): Promise<EnsuredCard> {
  let current = run;
  let fresh = false;
  if (!current.channelId) {
    const made = await ensureRunChannel(deps, current);
    fresh = made.created;
    current = await deps.store.transitionRun(run.id, [], {channelId: made.channel.id, updatedAt: deps.clock.now()}, {
      actor: 'system', action: 'progress.channel_ready', target: made.channel.id, outcome: 'ready', at: deps.clock.now(),
      evidence: {channel_name: made.channel.name, members: [...made.members], skipped: [...made.skipped]},
    }) ?? current;
  }
  if (current.postId) return {run: current, fingerprint: undefined};
  const channelId = current.channelId ?? '';
  const adopted = fresh ? undefined : await findCard(deps, channelId, run.id);
  let fingerprint: string | undefined;
  let postId = adopted;
  if (!postId) {
    const card = deps.render(current, steps);
    postId = (await deps.mm.createPost({channel_id: channelId, message: card.message, type: RUN_POST_TYPE,
      props: card.props})).id;
    fingerprint = cardFingerprint(card);
  }
  current = await deps.store.transitionRun(run.id, [], {postId, updatedAt: deps.clock.now()}, {
    actor: 'system', action: 'progress.card_posted', target: postId, outcome: adopted ? 'adopted' : 'posted',
    at: deps.clock.now(), evidence: {channel_id: channelId},
  }) ?? current;
  return {run: current, fingerprint};
}

interface PostList {
  readonly order?: readonly string[];
  readonly posts?: Readonly<Record<string, MattermostPost>>;
}

/** The bot's card for `runId` in the channel, if an interrupted attempt posted one. */
async function findCard(deps: EnsureCardDeps, channelId: string, runId: string): Promise<string | undefined> {
  const page = await deps.mm.request<PostList>('GET', apiRoute('/channels/{channel_id}/posts', {channel_id: channelId}),
    {query: {per_page: 200}});
  return Object.values(page.posts ?? {}).find((p) => p.user_id === deps.botUserId && p.root_id === '' &&
    p.type === RUN_POST_TYPE && (p.props?.offboarding_run as {run_id?: unknown} | undefined)?.run_id === runId)?.id;
}

/** After a restart what the card shows is unknown: true when the post already shows this state (no edit needed). */
export async function cardShows(mm: Pick<MattermostClient, 'getPost'>, postId: string, card: RenderedPost):
  Promise<boolean> {
  const post = await mm.getPost(postId);
  const shown = post.props?.offboarding_run as Record<string, Json> | undefined;
  const wanted = card.props.offboarding_run as Record<string, Json>;
  return post.message === card.message && shown?.updated_at === wanted.updated_at && shown?.status === wanted.status;
}

/** How a failed card write is handled: stop editing (edit time limit), post a new card (deleted), or retry. */
export function classifyCardFailure(e: unknown): 'frozen' | 'gone' | 'retry' {
  if (isMattermostApiError(e) && e.serverErrorId === EDIT_TIME_LIMIT) return 'frozen';
  return isNotFound(e) ? 'gone' : 'retry';
}
