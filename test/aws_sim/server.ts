// The HTTP front: one endpoint for every service (as LocalStack users configure `endpoint_url`). A request is
// counted, waits for a concurrency slot, is authenticated from its SigV4 credential scope, may be throttled or
// faulted, is dispatched by Query `Action`/`Version` or JSON `X-Amz-Target`, and is answered after the latency knob.
import http from 'node:http';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {setTimeout as delay} from 'node:timers/promises';
import {authenticate, explicitDeny} from './auth.js';
import {IAM_EVENT_REGION, recordEvent, userIdentityOf} from './cloudtrail.js';
import type {CallContext, JsonHandler, QueryHandler, SimKnobs} from './context.js';
import {accessDenied, AwsSimError, internalFailure, throttled} from './errors.js';
import {iamReads} from './iam_reads.js';
import {iamWrites} from './iam_writes.js';
import {identityStoreHandlers, ssoAdminHandlers} from './identity_center.js';
import {organizationsHandlers} from './organizations.js';
import {
  JsonInput, jsonBody, jsonErrorBody, QueryParams, queryErrorXml, queryResponseXml, type WireValue,
} from './protocol.js';
import type {SimState} from './state.js';
import {stsHandlers} from './sts.js';
import {cloudTrailHandlers} from './cloudtrail.js';

export interface Fault {
  /** How many matching requests fail before the fault is used up. */
  remaining: number;
  readonly service?: string;
  readonly action?: string;
  readonly account?: string;
  readonly error: 'throttle' | 'internal' | AwsSimError;
  /** Runs when the fault fires, to model a change someone else made at that moment. */
  readonly sideEffect?: () => void;
}

export interface RequestRecord {
  readonly service: string;
  readonly action: string;
  readonly account: string | null;
  status: number;
}

export interface SimRuntime {
  readonly state: SimState;
  readonly knobs: SimKnobs;
  readonly faults: Fault[];
  /** `account:service:Action` entries answered AccessDenied (the caller's policies do not allow them). */
  readonly denied: Set<string>;
  readonly stats: {calls: number; readonly byAction: Map<string, number>; readonly log: RequestRecord[]};
}

interface Service {
  readonly id: string;
  readonly json: boolean;
  readonly namespace: string;
  readonly query?: Readonly<Record<string, QueryHandler>>;
  readonly handlers?: Readonly<Record<string, JsonHandler>>;
}

const IAM: Service = {id: 'iam', json: false, namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  query: {...iamReads, ...iamWrites}};
const STS: Service = {id: 'sts', json: false, namespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  query: stsHandlers};
const JSON_SERVICES: Readonly<Record<string, Service>> = {
  AWSOrganizationsV20161128: {id: 'organizations', json: true, namespace: 'com.amazonaws.organizations',
    handlers: organizationsHandlers},
  CloudTrail_20131101: {id: 'cloudtrail', json: true, namespace: 'com.amazonaws.cloudtrail.v20131101',
    handlers: cloudTrailHandlers},
  AWSIdentityStore: {id: 'identitystore', json: true, namespace: 'com.amazonaws.identitystore',
    handlers: identityStoreHandlers},
  SWBExternalService: {id: 'sso-admin', json: true, namespace: 'com.amazonaws.swbexternalservice',
    handlers: ssoAdminHandlers},
};
const LOG_LIMIT = 20_000;

/** IAM writes recorded in CloudTrail; the reads are not needed by anything the simulator serves. */
const IAM_WRITE = /^(Create|Delete|Update|Put|Attach|Detach|Remove|Deactivate|Add|Upload|Enable)/;

class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: () => number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit()) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

class Buckets {
  private readonly buckets = new Map<string, {tokens: number; at: number}>();

  take(key: string, rule: {ratePerSecond: number; burst: number}, now: number): boolean {
    const b = this.buckets.get(key) ?? {tokens: rule.burst, at: now};
    b.tokens = Math.min(rule.burst, b.tokens + ((now - b.at) / 1000) * rule.ratePerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function takeFault(rt: SimRuntime, service: string, action: string, account: string): Fault | undefined {
  const fault = rt.faults.find((f) => f.remaining > 0 && (!f.service || f.service === service) &&
    (!f.action || f.action === action) && (!f.account || f.account === account));
  if (fault) {
    fault.remaining -= 1;
    fault.sideEffect?.();
  }
  return fault;
}

/** Answers one request; every error becomes the protocol's error shape. */
async function serve(rt: SimRuntime, buckets: Buckets, req: IncomingMessage, raw: string): Promise<{
  status: number; body: string; contentType: string; service: Service | undefined; action: string; account: string | null;
}> {
  const requestId = rt.state.ids.uuid();
  const target = req.headers['x-amz-target'];
  let service: Service | undefined;
  let action = '';
  let query: QueryParams | undefined;
  let json: JsonInput | undefined;
  if (typeof target === 'string') {
    const [prefix = '', name = ''] = target.split('.');
    service = JSON_SERVICES[prefix];
    action = name;
    try {
      json = new JsonInput(raw === '' ? {} : JSON.parse(raw) as Record<string, unknown>);
    } catch {
      json = undefined;
    }
  } else {
    query = new QueryParams(new URLSearchParams(raw));
    service = query.version === '2010-05-08' ? IAM : query.version === '2011-06-15' ? STS : undefined;
    action = query.action;
  }
  const fail = (error: AwsSimError, account: string | null) => {
    const s = service ?? IAM;
    return s.json
      ? {status: error.status, body: jsonErrorBody(error, s.namespace), contentType: 'application/x-amz-json-1.1',
        service, action, account}
      : {status: error.status, body: queryErrorXml(error, s.namespace, requestId), contentType: 'text/xml',
        service, action, account};
  };
  if (!service) {
    return fail(typeof target === 'string'
      ? new AwsSimError('UnknownOperationException', 400, `Unknown operation ${target}`)
      : new AwsSimError('InvalidAction', 400, `Could not find operation ${action} for version ${query?.version ?? ''}`),
    null);
  }
  rt.stats.calls += 1;
  rt.stats.byAction.set(`${service.id}:${action}`, (rt.stats.byAction.get(`${service.id}:${action}`) ?? 0) + 1);
  let accountId: string | null = null;
  try {
    const handler = service.json ? service.handlers?.[action] : service.query?.[action];
    const input = service.json ? json : query;
    if (!input) throw new AwsSimError('SerializationException', 400, 'Request body is not valid JSON.');
    const caller = authenticate(rt.state, req.headers, service.json);
    accountId = caller.principal.accountId;
    const account = rt.state.mustAccount(accountId);
    const now = rt.state.now();
    if (rt.knobs.throttle && !buckets.take(`${service.id}:${accountId}`, rt.knobs.throttle, now)) {
      throw throttled(service.id);
    }
    if (rt.knobs.errorRate > 0 && rt.knobs.random() < rt.knobs.errorRate) throw internalFailure(service.id);
    const fault = takeFault(rt, service.id, action, accountId);
    if (fault) {
      throw fault.error === 'throttle' ? throttled(service.id)
        : fault.error === 'internal' ? internalFailure(service.id) : fault.error;
    }
    if (!handler) {
      throw service.json ? new AwsSimError('UnknownOperationException', 400, `Unknown operation ${String(target)}`)
        : new AwsSimError('InvalidAction', 400, `Could not find operation ${action} for version ${query?.version}`);
    }
    const iamAction = `${service.id === 'sso-admin' ? 'sso' : service.id}:${action}`;
    if (rt.denied.has(`${accountId}:${iamAction}`)) {
      throw accessDenied(caller.principal.arn, iamAction, `arn:aws:${service.id}::${accountId}:*`, service.json);
    }
    if (explicitDeny(rt.state, caller.principal, iamAction)) {
      throw accessDenied(caller.principal.arn, iamAction, '*', service.json, 'with an explicit deny in an identity-based policy');
    }
    const ctx: CallContext<never> = {state: rt.state, caller, account, input: input as never, knobs: rt.knobs,
      requestId, now};
    const result = (handler as (c: CallContext<never>) => WireValue)(ctx);
    if (service.id === 'iam' && IAM_WRITE.test(action) && query) recordIamWrite(rt, ctx, action, query, result);
    return service.json
      ? {status: 200, body: jsonBody(result ?? {}), contentType: 'application/x-amz-json-1.1', service, action,
        account: accountId}
      : {status: 200, body: queryResponseXml(action, service.namespace, requestId,
        result as Record<string, WireValue> | undefined), contentType: 'text/xml', service, action, account: accountId};
  } catch (e) {
    if (e instanceof AwsSimError) return fail(e, accountId);
    return fail(internalFailure(service.id), accountId);
  }
}

function recordIamWrite(rt: SimRuntime, ctx: CallContext<never>, action: string, query: QueryParams,
  result: WireValue): void {
  const requestParameters: Record<string, unknown> = {};
  for (const key of ['UserName', 'AccessKeyId', 'PolicyName', 'PolicyArn', 'GroupName', 'SerialNumber', 'Status']) {
    const value = query.optional(key);
    if (value !== undefined) requestParameters[key.charAt(0).toLowerCase() + key.slice(1)] = value;
  }
  let responseElements: Record<string, unknown> | null = null;
  const created = (result as {AccessKey?: Record<string, unknown>} | undefined)?.AccessKey;
  if (action === 'CreateAccessKey' && created) {
    // CloudTrail never records the secret.
    responseElements = {accessKey: {accessKeyId: created['AccessKeyId'], status: created['Status'],
      userName: created['UserName'], createDate: (created['CreateDate'] as Date).toISOString()}};
  }
  const p = ctx.caller.principal;
  recordEvent(ctx.account, rt.state, {
    eventName: action, eventSource: 'iam.amazonaws.com', eventTime: ctx.now, region: IAM_EVENT_REGION,
    userIdentity: userIdentityOf(rt.state, p), requestParameters, responseElements,
    resources: typeof requestParameters['userName'] === 'string'
      ? [{ResourceType: 'AWS::IAM::User', ResourceName: requestParameters['userName'] as string}] : [],
    readOnly: false, username: p.kind === 'role_session' ? p.sessionName ?? '' : p.userName ?? '',
    accessKeyId: p.accessKeyId,
  });
}

export function createSimServer(rt: SimRuntime): http.Server {
  const gate = new Gate(() => rt.knobs.maxConcurrent);
  const buckets = new Buckets();
  return http.createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const raw = await readBody(req);
      // A hung request holds no slot: it only waits for the client to give up (or the server to close).
      if (rt.knobs.timeoutRate > 0 && rt.knobs.random() < rt.knobs.timeoutRate) return;
      await gate.acquire();
      try {
        // The latency is the time the request takes in all: the simulator's own work happens inside it, as AWS's
        // does, rather than after it (AWS serves concurrent requests side by side; this thread, one after another).
        const due = performance.now() + rt.knobs.latencyMs;
        const answer = await serve(rt, buckets, req, raw);
        const wait = due - performance.now();
        if (wait > 0) await delay(wait, undefined, {ref: false});
        if (answer.service) {
          rt.stats.log.push({service: answer.service.id, action: answer.action, account: answer.account,
            status: answer.status});
          if (rt.stats.log.length > LOG_LIMIT) rt.stats.log.splice(0, rt.stats.log.length - LOG_LIMIT);
        }
        res.writeHead(answer.status, {'content-type': answer.contentType, 'x-amzn-requestid': rt.state.ids.uuid(),
          'content-length': Buffer.byteLength(answer.body)});
        res.end(answer.body);
      } finally {
        gate.release();
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
