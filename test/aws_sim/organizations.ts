// AWS Organizations (JSON 1.1, `AWSOrganizationsV20161128.*`): accounts with NextToken pagination (MaxResults ≤ 20),
// account tags, CloseAccount with its quotas, and the service control policies offboarding maintains.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html
import {type CallContext, type JsonHandler, requireManagement} from './context.js';
import {AwsSimError} from './errors.js';
import {type JsonInput, page, type WireValue} from './protocol.js';
import type {Organization, ScpPolicy, SimAccount} from './state.js';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;
const SCP_MAX_CHARS = 5120;

function org(ctx: CallContext<JsonInput>): Organization {
  requireManagement(ctx);
  return ctx.state.organization as Organization;
}

/** PENDING_CLOSURE turns into SUSPENDED after the closure delay, observed lazily. */
export function settleClosure(account: SimAccount, now: number, delayMs: number): void {
  if (account.state === 'PENDING_CLOSURE' && account.closedAt !== undefined && now - account.closedAt >= delayMs) {
    account.state = 'SUSPENDED';
  }
}

function accountShape(ctx: CallContext<JsonInput>, o: Organization, a: SimAccount): Record<string, WireValue> {
  settleClosure(a, ctx.now, ctx.knobs.closureDelayMs);
  return {
    Id: a.id, Arn: `arn:aws:organizations::${o.managementAccountId}:account/${o.id}/${a.id}`, Email: a.email,
    Name: a.name, Status: a.state, State: a.state, JoinedMethod: a.joinedMethod, JoinedTimestamp: new Date(a.joinedAt),
  };
}

function findAccount(ctx: CallContext<JsonInput>, id: string): SimAccount {
  const account = ctx.state.account(id);
  if (!account) throw new AwsSimError('AccountNotFoundException', 400, 'You specified an account that doesn\'t exist.');
  return account;
}

function findPolicy(o: Organization, id: string): ScpPolicy {
  const policy = o.policies.get(id);
  if (!policy) throw new AwsSimError('PolicyNotFoundException', 400, 'We can\'t find a policy with the PolicyId that you specified.');
  return policy;
}

function policySummary(p: ScpPolicy): Record<string, WireValue> {
  return {Id: p.id, Arn: p.arn, Name: p.name, Description: p.description, Type: 'SERVICE_CONTROL_POLICY',
    AwsManaged: false};
}

function checkContent(content: string): void {
  try {
    JSON.parse(content);
  } catch {
    throw new AwsSimError('MalformedPolicyDocumentException', 400, 'The provided policy document doesn\'t meet the requirements of the specified policy type.');
  }
  if (content.length > SCP_MAX_CHARS) {
    throw new AwsSimError('ConstraintViolationException', 400, 'You have exceeded the size limit of a policy.',
      {Reason: 'POLICY_CONTENT_LIMIT_EXCEEDED'});
  }
}

/** Member accounts closable in a rolling 30 days: 10 % of them, between 10 and 1000 (API_CloseAccount). */
export function closeQuota(memberAccounts: number): number {
  return Math.max(10, Math.min(1000, Math.floor(memberAccounts * 0.1)));
}

export const organizationsHandlers: Record<string, JsonHandler> = {
  // Any account of the organization may describe it; everything else is for the management account.
  DescribeOrganization: (ctx) => {
    const o = ctx.state.organization;
    if (!o) throw new AwsSimError('AWSOrganizationsNotInUseException', 400, 'Your account is not a member of an organization.');
    const management = ctx.state.mustAccount(o.managementAccountId);
    return {Organization: {
      Id: o.id, Arn: o.arn, FeatureSet: 'ALL', MasterAccountId: o.managementAccountId,
      MasterAccountArn: `arn:aws:organizations::${o.managementAccountId}:account/${o.id}/${o.managementAccountId}`,
      MasterAccountEmail: management.email,
      AvailablePolicyTypes: [{Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED'}],
    }};
  },

  ListAccounts: (ctx) => {
    const o = org(ctx);
    const accounts = [...ctx.state.accounts.values()];
    const p = page(accounts, ctx.input.optional('NextToken'), ctx.input.integer('MaxResults'),
      {max: 20, fallback: 10, cap: ctx.knobs.pageCap}, true);
    return {Accounts: p.items.map((a) => accountShape(ctx, o, a)), NextToken: p.next};
  },

  DescribeAccount: (ctx) => {
    const o = org(ctx);
    return {Account: accountShape(ctx, o, findAccount(ctx, ctx.input.required('AccountId')))};
  },

  ListTagsForResource: (ctx) => {
    org(ctx);
    const id = ctx.input.required('ResourceId');
    const account = ctx.state.account(id);
    if (!account) throw new AwsSimError('TargetNotFoundException', 400, 'You specified a target that doesn\'t exist.');
    const p = page(account.tags, ctx.input.optional('NextToken'), undefined, {max: 100, fallback: 100,
      cap: ctx.knobs.pageCap}, true);
    return {Tags: p.items.map((t) => ({...t})), NextToken: p.next};
  },

  CloseAccount: (ctx) => {
    const o = org(ctx);
    const account = findAccount(ctx, ctx.input.required('AccountId'));
    if (account.id === o.managementAccountId) {
      throw new AwsSimError('AccessDeniedException', 400, 'You can\'t close the management account with CloseAccount.');
    }
    settleClosure(account, ctx.now, ctx.knobs.closureDelayMs);
    if (account.state !== 'ACTIVE') {
      throw new AwsSimError('AccountAlreadyClosedException', 400, 'You attempted to close an account that is already closed.');
    }
    const recent = o.closures.filter((t) => ctx.now - t < THIRTY_DAYS_MS).length;
    if (recent >= closeQuota(ctx.state.accounts.size - 1)) {
      throw new AwsSimError('ConstraintViolationException', 400, 'You have exceeded close account quota for the past 30 days.',
        {Reason: 'CLOSE_ACCOUNT_QUOTA_EXCEEDED'});
    }
    const pending = [...ctx.state.accounts.values()].filter((a) => {
      settleClosure(a, ctx.now, ctx.knobs.closureDelayMs);
      return a.state === 'PENDING_CLOSURE';
    }).length;
    if (pending >= ctx.knobs.concurrentClosures) {
      throw new AwsSimError('ConstraintViolationException', 400, 'You have exceeded the number of accounts that you can close at a time.',
        {Reason: 'CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED'});
    }
    o.closures.push(ctx.now);
    account.state = 'PENDING_CLOSURE';
    account.closedAt = ctx.now;
    return {};
  },

  ListRoots: (ctx) => {
    const o = org(ctx);
    return {Roots: [{Id: o.rootId, Arn: `arn:aws:organizations::${o.managementAccountId}:root/${o.id}/${o.rootId}`,
      Name: 'Root', PolicyTypes: [{Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED'}]}]};
  },

  ListPolicies: (ctx) => {
    const o = org(ctx);
    if (ctx.input.required('Filter') !== 'SERVICE_CONTROL_POLICY') return {Policies: []};
    const p = page([...o.policies.values()], ctx.input.optional('NextToken'), ctx.input.integer('MaxResults'),
      {max: 20, fallback: 20, cap: ctx.knobs.pageCap}, true);
    return {Policies: p.items.map(policySummary), NextToken: p.next};
  },

  DescribePolicy: (ctx) => {
    const policy = findPolicy(org(ctx), ctx.input.required('PolicyId'));
    return {Policy: {PolicySummary: policySummary(policy), Content: policy.content}};
  },

  CreatePolicy: (ctx) => {
    const o = org(ctx);
    const name = ctx.input.required('Name');
    const content = ctx.input.required('Content');
    if (ctx.input.required('Type') !== 'SERVICE_CONTROL_POLICY') {
      throw new AwsSimError('PolicyTypeNotEnabledException', 400, 'The specified policy type isn\'t currently enabled in this root.');
    }
    checkContent(content);
    if ([...o.policies.values()].some((p) => p.name === name)) {
      throw new AwsSimError('DuplicatePolicyException', 400, 'A policy with the same name already exists.');
    }
    const id = `p-${ctx.state.ids.hex(8)}`;
    const policy: ScpPolicy = {id, arn: `arn:aws:organizations::${o.managementAccountId}:policy/${o.id}/service_control_policy/${id}`,
      name, description: ctx.input.required('Description'), content, targets: new Set()};
    o.policies.set(id, policy);
    return {Policy: {PolicySummary: policySummary(policy), Content: policy.content}};
  },

  UpdatePolicy: (ctx) => {
    const policy = findPolicy(org(ctx), ctx.input.required('PolicyId'));
    const content = ctx.input.optional('Content');
    if (content !== undefined) {
      checkContent(content);
      policy.content = content;
    }
    policy.name = ctx.input.optional('Name') ?? policy.name;
    policy.description = ctx.input.optional('Description') ?? policy.description;
    return {Policy: {PolicySummary: policySummary(policy), Content: policy.content}};
  },

  AttachPolicy: (ctx) => {
    const o = org(ctx);
    const policy = findPolicy(o, ctx.input.required('PolicyId'));
    const target = ctx.input.required('TargetId');
    if (target !== o.rootId && !ctx.state.accounts.has(target)) {
      throw new AwsSimError('TargetNotFoundException', 400, 'You specified a target that doesn\'t exist.');
    }
    if (policy.targets.has(target)) {
      throw new AwsSimError('DuplicatePolicyAttachmentException', 400, 'The selected policy is already attached to the specified target.');
    }
    policy.targets.add(target);
    return {};
  },

  ListTargetsForPolicy: (ctx) => {
    const o = org(ctx);
    const policy = findPolicy(o, ctx.input.required('PolicyId'));
    return {Targets: [...policy.targets].map((t) => ({
      TargetId: t, Type: t === o.rootId ? 'ROOT' : 'ACCOUNT', Name: t === o.rootId ? 'Root' : ctx.state.account(t)?.name ?? t,
      Arn: t === o.rootId ? `arn:aws:organizations::${o.managementAccountId}:root/${o.id}/${t}`
        : `arn:aws:organizations::${o.managementAccountId}:account/${o.id}/${t}`,
    }))};
  },
};
