// Which thread replies a run owes now (failed steps, finished providers, the final summary) and how each is sent.
// Keys are stable for one occurrence: a step that fails again after a retry, or a run that finishes again, gets a new one.
import {verifyChain} from '../audit/chain.js';
import {renderReportJson, renderReportMarkdown} from '../audit/export.js';
import {buildReport} from '../audit/report.js';
import type {RunStore} from '../engine/ports.js';
import {isTerminalRun, isTerminalStep} from '../engine/run_state.js';
import type {Run, Step} from '../engine/types.js';
import {apiRoute, type MattermostClient} from './client.js';
import type {MattermostPost} from './client_types.js';
import type {ReplyLedger} from './progress_ledger.js';
import {type CardOptions, orderCardSteps} from './run_card.js';
import {renderFailedStepReply, renderFinalSummary, renderProviderSummary, reportFileNames} from './run_replies.js';

/** Where a reply's key is kept on the post, so a process that took over a claim can find what was already posted. */
export const REPLY_KEY_PROP = 'offboarding_reply_key';

export type ReplyClient = Pick<MattermostClient, 'createPost' | 'uploadFile' | 'request'>;

export interface ReplyContext {
  readonly store: RunStore;
  readonly mm: ReplyClient;
  readonly botUserId: string;
  readonly options: CardOptions;
}

export interface DueReply {
  readonly key: string;
  /** Posts the reply under the card; returns the new post's id. */
  send(ctx: ReplyContext, run: Run, steps: readonly Step[]): Promise<string>;
}

/** In order: failures (checklist order), then providers whose steps are all finished, then the final summary. */
export function dueReplies(run: Run, steps: readonly Step[]): DueReply[] {
  const ordered = orderCardSteps(steps);
  const due: DueReply[] = [];
  ordered.forEach((step, index) => {
    if (step.state !== 'failed') return;
    due.push({
      key: `failed:${step.id}:${step.finishedAt ?? step.updatedAt}`,
      send: (ctx, r) => reply(ctx, r, `failed:${step.id}:${step.finishedAt ?? step.updatedAt}`,
        renderFailedStepReply(step, index + 1, ctx.options)),
    });
  });
  for (const provider of new Set(ordered.map((s) => s.provider))) {
    const own = ordered.filter((s) => s.provider === provider);
    if (!own.every((s) => isTerminalStep(s.state))) continue;
    const key = `provider:${provider}:${Math.max(...own.map((s) => s.finishedAt ?? s.updatedAt))}`;
    due.push({key, send: (ctx, r) => reply(ctx, r, key, renderProviderSummary(provider, own, ctx.options))});
  }
  if (isTerminalRun(run.status)) {
    const key = `final:${run.finishedAt ?? run.updatedAt}`;
    due.push({key, send: (ctx, r, s) => sendFinalSummary(ctx, r, s, key)});
  }
  return due;
}

async function reply(ctx: ReplyContext, run: Run, key: string, message: string, fileIds: string[] = []):
  Promise<string> {
  const post = await ctx.mm.createPost({
    channel_id: run.channelId ?? '', root_id: run.postId ?? '', message, props: {[REPLY_KEY_PROP]: key},
    ...(fileIds.length > 0 ? {file_ids: fileIds} : {}),
  });
  return post.id;
}

/** Builds the report now (its audit head includes this reply's claim), uploads JSON + Markdown, posts the summary. */
async function sendFinalSummary(ctx: ReplyContext, run: Run, steps: readonly Step[], key: string): Promise<string> {
  const {events, head} = await ctx.store.readAuditTrail(run.id);
  const report = buildReport(run, steps, events, verifyChain(events, head));
  const names = reportFileNames(run.id);
  const channelId = run.channelId ?? '';
  const json = await ctx.mm.uploadFile(channelId, names.json, Buffer.from(renderReportJson(report)), 'application/json');
  const markdown = await ctx.mm.uploadFile(channelId, names.markdown, Buffer.from(renderReportMarkdown(report)),
    'text/markdown');
  const message = renderFinalSummary(run, steps, {
    events: report.audit.events, head: report.audit.head, ...(report.audit.verified === undefined ? {}
      : {verified: report.audit.verified}),
  }, ctx.options);
  return reply(ctx, run, key, message, [json.id, markdown.id]);
}

/**
 * Posts every reply the run owes that no process has sent, each claimed first (progress_ledger.ts). Returns when to
 * look again if another process holds a claim (it may have died), else undefined.
 */
export async function postDueReplies(ctx: ReplyContext, ledger: ReplyLedger, run: Run, steps: readonly Step[]):
  Promise<number | undefined> {
  let retryAt: number | undefined;
  for (const reply of dueReplies(run, steps)) {
    if (await ledger.isSent(run.id, reply.key)) continue;
    const claim = await ledger.claim(run.id, reply.key);
    if (claim.kind === 'sent') continue;
    if (claim.kind === 'held') {
      retryAt = Math.min(retryAt ?? claim.retryAt, claim.retryAt);
      continue;
    }
    // After a takeover the dead claimant may have posted before it could record it: never post twice.
    const posted = claim.takeover ? await findReply(ctx, run.postId ?? '', reply.key) : undefined;
    await ledger.markSent(run.id, reply.key, posted ?? await reply.send(ctx, run, steps));
  }
  return retryAt;
}

interface PostList {
  readonly order?: readonly string[];
  readonly posts?: Readonly<Record<string, MattermostPost>>;
}

/** The id of the bot's reply carrying `key` in the card's thread, if one was posted. */
export async function findReply(ctx: ReplyContext, rootId: string, key: string): Promise<string | undefined> {
  const thread = await ctx.mm.request<PostList>('GET', apiRoute('/posts/{post_id}/thread', {post_id: rootId}));
  return Object.values(thread.posts ?? {})
    .find((p) => p.user_id === ctx.botUserId && p.root_id === rootId && p.props?.[REPLY_KEY_PROP] === key)?.id;
}
