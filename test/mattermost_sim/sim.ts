// startMattermostSim: a stateful Mattermost REST API v4 on 127.0.0.1 for tests, benchmarks and `offboard sandbox`.

import type {EventEmitter} from 'node:events';
import type {ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createCore} from './core.js';
import type {SimConfig, SimCore} from './core.js';
import {createCommand, createIncomingWebhook, createOAuthApp, createOutgoingWebhook} from './ops_integrations.js';
import type {NewCommand, NewIncomingWebhook, NewOAuthApp, NewOutgoingWebhook} from './ops_integrations.js';
import {createPost} from './ops_posts.js';
import type {NewPost} from './ops_posts.js';
import {createAccessToken, createBot, createSession, createUser, setUserActive} from './ops_users.js';
import type {NewBot, NewUser} from './ops_users.js';
import {addChannelMember, addTeamMember, createChannel, createTeam} from './ops_workspace.js';
import type {NewChannel, NewTeam} from './ops_workspace.js';
import {GcraLimiter} from './rate_limit.js';
import type {RateLimitOptions} from './rate_limit.js';
import {createSimServer} from './server.js';
import type {FaultOptions, Knobs, RequestLogEntry} from './server.js';
import {loadSpec} from './spec.js';
import type {SimState} from './state.js';
import {mintTriggerId} from './trigger_id.js';
import type {Bot, Channel, ChannelMember, Command, IncomingWebhook, OAuthApp, OutgoingWebhook, Post, Team, TeamMember, User} from './types.js';
import {seededRandom} from '../support/prng.js';

export interface MattermostSimOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** ServiceSettings.SiteURL; defaults to the simulator's own base URL. */
  siteUrl?: string;
  /** Added before answering each /api/v4 request. */
  latencyMs?: number;
  /** Off unless given (like RateLimitSettings.Enable=false). */
  rateLimit?: RateLimitOptions;
  faults?: FaultOptions;
  /** OutgoingIntegrationRequestsTimeout for commands, dialogs and post actions (default 30 s). */
  commandTimeoutMs?: number;
  /** Seed of the PRNG behind the fault knobs. */
  seed?: number;
  /** Other server settings (enableCommands, enableUserDeactivation, ...). */
  config?: Partial<Omit<SimConfig, 'siteUrl' | 'commandTimeoutMs'>>;
}

export interface MattermostSim {
  /** Base URL without /api/v4, e.g. http://127.0.0.1:43123. */
  readonly url: string;
  readonly state: SimState;
  readonly config: SimConfig;
  /** Store, settings, events and key together, for the ops_*.ts functions (seeding, test set-up). */
  readonly core: SimCore;
  /** Every /api/v4 request, in the order they were answered (`at` is the arrival time); unanswered ones have status 0. */
  readonly requests: readonly RequestLogEntry[];
  /** The non-GET requests: an empty list proves a client changed nothing. */
  mutations(): RequestLogEntry[];
  clearRequests(): void;
  /** `posted`, `post_edited`, `ephemeral`, `open_dialog` (see core.ts). */
  readonly events: EventEmitter;
  /** AsymmetricSigningPublicKey: base64 SPKI DER of the P-256 key that signs trigger ids. */
  readonly publicKeyBase64: string;
  setLatency(ms: number): void;
  setRateLimit(options: RateLimitOptions | null): void;
  setFaults(faults: FaultOptions): void;
  createUser(input: NewUser): User;
  /** A login session; returns its token. */
  createSession(userId: string, props?: Record<string, string>): string;
  /** A personal access token; returns the token. */
  createAccessToken(userId: string, description?: string): string;
  deactivateUser(userId: string): void;
  createTeam(input: NewTeam): Team;
  addTeamMember(teamId: string, userId: string, opts?: {admin?: boolean}): TeamMember;
  createChannel(input: NewChannel): Channel;
  addChannelMember(channelId: string, userId: string, opts?: {admin?: boolean}): ChannelMember;
  createPost(input: NewPost): Post;
  createBot(input: NewBot): Bot;
  createCommand(input: NewCommand): Command;
  createIncomingWebhook(input: NewIncomingWebhook): IncomingWebhook;
  createOutgoingWebhook(input: NewOutgoingWebhook): OutgoingWebhook;
  createOAuthApp(input: NewOAuthApp): OAuthApp;
  /** A signed trigger_id for the user, minted now or at `atMs` (to make stale ones). */
  signTriggerId(userId: string, atMs?: number): string;
  close(): Promise<void>;
}

const normalizeFaults = (f: FaultOptions = {}): Required<FaultOptions> => ({status5xxRate: f.status5xxRate ?? 0, timeoutRate: f.timeoutRate ?? 0});

export async function startMattermostSim(options: MattermostSimOptions = {}): Promise<MattermostSim> {
  const spec = await loadSpec();
  const core = createCore({...options.config, commandTimeoutMs: options.commandTimeoutMs ?? 30_000});
  const knobs: Knobs = {
    latencyMs: options.latencyMs ?? 0,
    limiter: options.rateLimit === undefined ? undefined : new GcraLimiter(options.rateLimit),
    faults: normalizeFaults(options.faults),
    random: seededRandom(options.seed ?? 1),
  };
  const log: RequestLogEntry[] = [];
  const hung = new Set<ServerResponse>();
  const server = createSimServer(core, spec, knobs, log, hung);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  core.config.siteUrl = options.siteUrl ?? url;

  return {
    url,
    state: core.state,
    config: core.config,
    core,
    requests: log,
    mutations: () => log.filter((r) => r.method !== 'GET' && r.method !== 'HEAD'),
    clearRequests: () => void log.splice(0, log.length),
    events: core.events,
    publicKeyBase64: core.signing.publicKeyBase64,
    setLatency: (ms) => void (knobs.latencyMs = ms),
    setRateLimit: (o) => void (knobs.limiter = o === null ? undefined : new GcraLimiter(o)),
    setFaults: (f) => void (knobs.faults = normalizeFaults(f)),
    createUser: (input) => createUser(core, input),
    createSession: (userId, props) => createSession(core, userId, props).token,
    createAccessToken: (userId, description = 'simulator token') => createAccessToken(core, userId, description).token,
    deactivateUser: (userId) => setUserActive(core, userId, false),
    createTeam: (input) => createTeam(core, input),
    addTeamMember: (teamId, userId, opts) => addTeamMember(core, teamId, userId, opts),
    createChannel: (input) => createChannel(core, input),
    addChannelMember: (channelId, userId, opts) => addChannelMember(core, channelId, userId, opts),
    createPost: (input) => createPost(core, input),
    createBot: (input) => createBot(core, input),
    createCommand: (input) => createCommand(core, input),
    createIncomingWebhook: (input) => createIncomingWebhook(core, input),
    createOutgoingWebhook: (input) => createOutgoingWebhook(core, input),
    createOAuthApp: (input) => createOAuthApp(core, input),
    signTriggerId: (userId, atMs) => mintTriggerId(core.signing, userId, atMs).triggerId,
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A signed trigger_id exactly as the server would send it to an integration. */
export function signTriggerId(sim: MattermostSim, userId: string, atMs?: number): string {
  return sim.signTriggerId(userId, atMs);
}
