// Wires the running service: store, Mattermost bot client, providers with their limiters, command registration,
// verification, the HTTP app and the executor. `offboard start`, the sandbox and the CLI commands all start here.
import {setMaxListeners} from 'node:events';
import {hostname} from 'node:os';
import type {FastifyInstance} from 'fastify';
import {systemClock} from '../clock.js';
import type {OffboardConfig} from '../config.js';
import {ConfigError, errorMessage} from '../engine/errors.js';
import {Executor} from '../engine/executor.js';
import type {AnyProvider, Clock, Logger, ProviderContext, ProviderId} from '../engine/types.js';
import {buildHttpApp, type Gate} from '../http/app.js';
import {createMetrics, type Metrics} from '../http/metrics.js';
import {newId} from '../ids.js';
import {createLimiter} from '../limits.js';
import {MattermostClient} from '../mattermost/client.js';
import {buildActionContext} from '../mattermost/interactive.js';
import {ProgressReporter} from '../mattermost/progress.js';
import {registerCommands, type RegisteredCommand} from '../mattermost/registration.js';
import {enabledProviders, providerConfig} from '../providers/index.js';
import {openStore} from '../store/index.js';
import type {ServiceDeps} from './deps.js';
import {buildGate} from './gate.js';

export interface ServiceOptions {
  readonly log: Logger;
  readonly clock?: Clock;
  /** Replaces the configured providers (tests). */
  readonly providers?: readonly AnyProvider[];
  /** Serve HTTP and register /offboard (start, sandbox); false for CLI commands. */
  readonly serve?: boolean;
  /** Run the executor loop in this process. */
  readonly execute?: boolean;
}

export interface RunningService {
  readonly deps: ServiceDeps;
  readonly metrics: Metrics;
  readonly executor: Executor;
  readonly gate: Gate;
  readonly app: FastifyInstance | null;
  /** Base URL the HTTP app listens on (null when not serving). */
  readonly url: string | null;
  readonly commands: readonly RegisteredCommand[];
  close(): Promise<void>;
}

export async function startService(config: OffboardConfig, opts: ServiceOptions): Promise<RunningService> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log;
  const stop = new AbortController();
  // Every request of every provider listens on the shutdown signal; many at once is by design, not a leak.
  setMaxListeners(0, stop.signal);
  const store = await openStore(config.database.url
    ? {kind: 'postgres', url: config.database.url}
    : {kind: 'sqlite', path: config.database.sqlite_path}, log);
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const closeAll = async () => {
    stop.abort();
    for (const close of closers.reverse()) await close().catch((e: unknown) => log.warn({err: errorMessage(e)}, 'close failed'));
  };
  try {
    const mm = new MattermostClient({
      url: config.mattermost.url, token: config.mattermost.bot_token, clock, log: log.child({component: 'mattermost'}),
      timeoutMs: config.mattermost.request_timeout_ms,
    });
    const me = await mm.getMe().catch((e: unknown) => {
      throw new ConfigError(`Mattermost at ${config.mattermost.url} did not accept the bot token: ${errorMessage(e)}`);
    });
    const providers = opts.providers ?? enabledProviders(config);
    const limiters = new Map(providers.map((p) => [p.id, createLimiter(p.limits)]));
    // Parsed once at start, so a bad provider section stops the service before any run rather than mid-run.
    const sections = new Map(providers.map((p) => [p.id, providerConfig(config, p)]));
    const contextFor = (id: ProviderId, signal?: AbortSignal): ProviderContext<unknown> => {
      const limiter = limiters.get(id);
      if (!limiter) throw new ConfigError(`Provider "${id}" is not enabled.`);
      return {config: sections.get(id), log: log.child({provider: id}), clock, signal: signal ?? stop.signal, limiter};
    };
    const replica = config.engine.replica_id ?? `${hostname()}-${process.pid}`;
    const progress = new ProgressReporter({
      store, mm, clock, log: log.child({component: 'progress'}), botUserId: me.id,
      // A fresh suffix per process: a restarted process must not take its predecessor's reply claims for its own.
      owner: `${replica}:${newId().slice(0, 8)}`,
      teamName: config.mattermost.run_team, reviewers: config.mattermost.reviewers,
      providerTitles: new Map(providers.map((p) => [p.id, p.title])),
      actions: {
        url: `${config.service.public_url}/mattermost/action`,
        context: (runId, action, stepId) => buildActionContext(deps, runId, action, stepId),
      },
    });
    // Runs before the store closes and after the executor and the background work stopped (closers run in reverse).
    closers.push(() => progress.close());
    const deps: ServiceDeps = {
      config, store, clock, log, mm, botUserId: me.id, providers, contextFor, background: new Set(), progress,
    };
    closers.push(async () => { await Promise.allSettled([...deps.background]); });

    const metrics = createMetrics();
    let commands: RegisteredCommand[] = [];
    const gate = buildGate(deps, () => commands.map((c) => c.token));
    let app: FastifyInstance | null = null;
    let url: string | null = null;
    if (opts.serve) {
      commands = await registerCommands({
        mm, log, botUserId: me.id, teamNames: config.mattermost.command_teams,
        url: `${config.service.public_url}/mattermost/command`,
      });
      app = await buildHttpApp(deps, gate, metrics);
      const served = app;
      closers.push(() => served.close());
      const address = await app.listen({host: config.service.listen_host, port: config.service.listen_port});
      url = address;
    }

    const executor = new Executor({
      store, clock, log: log.child({component: 'executor'}),
      providers: new Map(providers.map((p) => [p.id, p])),
      contexts: (id) => contextFor(id),
      owner: replica,
      leaseMs: config.engine.lease_ms,
      pollMs: config.engine.poll_ms,
      onChange: (run, steps, changed) => {
        if (changed) metrics.steps.inc({provider: changed.provider, state: changed.state});
        progress.onChange(run, steps, changed);
      },
    });
    if (opts.execute) {
      void executor.start(stop.signal);
      closers.push(() => executor.stop());
      await progress.resume();
    }
    return {deps, metrics, executor, gate, app, url, commands, close: closeAll};
  } catch (e) {
    await closeAll();
    throw e;
  }
}
