// Credentials and SDK clients that outlive one provider call: assumed-role credentials are cached per account until
// shortly before they expire (AWS's advice against throttling), clients are reused, and each account has its own
// in-flight cap. Sessions are keyed by the connection settings, so every context with the same config shares one.
import {createHash} from 'node:crypto';
import {Agent as HttpAgent} from 'node:http';
import {Agent as HttpsAgent} from 'node:https';
import type {AwsConfig, AwsService} from './config.js';
import {CLOUDTRAIL_LOOKUP_TPS, IDENTITY_CENTER_TPS, Pacer, Semaphore} from './pacing.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface CachedCredentials {
  value?: Credentials;
  pending?: Promise<Credentials>;
}

export class AwsSession {
  private readonly credentials = new Map<string, CachedCredentials>();
  private readonly clients = new Map<string, {client: unknown; credentials?: Credentials}>();
  private readonly gates = new Map<string, Semaphore>();
  private readonly trailPacers = new Map<string, Pacer>();
  readonly identityCenter = new Pacer(IDENTITY_CENTER_TPS, IDENTITY_CENTER_TPS);
  private management: Promise<{accountId: string; arn: string}> | undefined;
  /**
   * One connection pool for every client: each account has its own clients (credentials differ), but they all talk
   * to the same endpoints, so sockets (and TLS sessions) are reused across accounts.
   */
  readonly agents: {readonly httpAgent: HttpAgent; readonly httpsAgent: HttpsAgent};

  constructor(readonly config: AwsConfig) {
    const options = {keepAlive: true, maxSockets: 256};
    this.agents = {httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent(options)};
  }

  endpoint(service: AwsService): string | undefined {
    return this.config.endpoints[service] ?? this.config.endpoint_url;
  }

  roleArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:role/${this.config.role_names[accountId] ?? this.config.role_name}`;
  }

  gate(accountId: string): Semaphore {
    let gate = this.gates.get(accountId);
    if (!gate) {
      gate = new Semaphore(this.config.max_in_flight_per_account);
      this.gates.set(accountId, gate);
    }
    return gate;
  }

  /** LookupEvents is limited to two requests per second per account and region (API_LookupEvents). */
  trailPacer(accountId: string): Pacer {
    let pacer = this.trailPacers.get(accountId);
    if (!pacer) {
      pacer = new Pacer(CLOUDTRAIL_LOOKUP_TPS, CLOUDTRAIL_LOOKUP_TPS);
      this.trailPacers.set(accountId, pacer);
    }
    return pacer;
  }

  /** The management identity (GetCallerIdentity), asked once per session; a failure is not cached. */
  managementIdentity(read: () => Promise<{accountId: string; arn: string}>): Promise<{accountId: string; arn: string}> {
    if (!this.management) {
      this.management = read();
      this.management.catch(() => {
        this.management = undefined;
      });
    }
    return this.management;
  }

  /** Cached credentials of `accountId`, or the AssumeRole `assume` yields (shared by concurrent callers). */
  async assumed(accountId: string, assume: () => Promise<Credentials>, now: number): Promise<Credentials> {
    const cached = this.credentials.get(accountId) ?? {};
    const fresh = cached.value && (!cached.value.expiration ||
      cached.value.expiration.getTime() - REFRESH_MARGIN_MS > now);
    if (fresh && cached.value) return cached.value;
    if (!cached.pending) {
      cached.pending = assume().then((value) => {
        cached.value = value;
        return value;
      }).finally(() => {
        delete cached.pending;
      });
      this.credentials.set(accountId, cached);
    }
    return cached.pending;
  }

  /** Drops an account's credentials and clients (after ExpiredToken), so the next call assumes the role again. */
  invalidate(accountId: string): void {
    this.credentials.delete(accountId);
    for (const key of [...this.clients.keys()]) if (key.endsWith(`:${accountId}`)) this.clients.delete(key);
  }

  /** The cached client, or a new one when there is none or it was built for other credentials (refreshed). */
  client<T>(service: string, accountId: string, create: () => T, credentials?: Credentials): T {
    const key = `${service}:${accountId}`;
    const cached = this.clients.get(key) as {client: T; credentials?: Credentials} | undefined;
    if (cached && cached.credentials === credentials) return cached.client;
    const client = create();
    this.clients.set(key, {client, credentials});
    return client;
  }
}

const sessions = new Map<string, AwsSession>();

/** One session per distinct connection configuration (hashed, so the map holds no secret in clear). */
export function sessionFor(config: AwsConfig): AwsSession {
  const key = createHash('sha256').update(JSON.stringify([
    config.region, config.endpoint_url ?? '', config.endpoints, config.access_key_id ?? '', config.secret_access_key ?? '',
    config.session_token ?? '', config.role_name, config.role_names, config.external_id ?? '', config.session_name,
    config.session_duration_seconds, config.max_attempts, config.max_in_flight_per_account, config.request_timeout_ms,
    config.identity_center?.region ?? '', config.cloudtrail.region,
  ])).digest('hex');
  let session = sessions.get(key);
  if (!session) {
    session = new AwsSession(config);
    sessions.set(key, session);
  }
  return session;
}

/** Forgets every session (tests that change the simulator's credentials between cases). */
export function clearAwsSessions(): void {
  sessions.clear();
}
