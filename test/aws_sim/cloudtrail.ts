// CloudTrail event history (JSON 1.1, `CloudTrail_20131101.LookupEvents`): the last 90 days of management events
// per account and region, newest first, one lookup attribute, MaxResults ≤ 50 with NextToken. IAM writes made
// through the simulator are recorded in us-east-1 like real IAM events.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
import type {JsonHandler} from './context.js';
import {AwsSimError} from './errors.js';
import {page, type WireValue} from './protocol.js';
import type {Principal, SimAccount, SimState, TrailEvent} from './state.js';

const RETENTION_MS = 90 * 24 * 3600 * 1000;
/** IAM is a global service: its events land in US East (N. Virginia). */
export const IAM_EVENT_REGION = 'us-east-1';

/** The `userIdentity` block CloudTrail writes for a caller. */
export function userIdentityOf(state: SimState, p: Principal): Record<string, unknown> {
  if (p.kind === 'role_session') {
    const role = state.account(p.accountId)?.iam.roles.get((p.roleName ?? '').toLowerCase());
    return {
      type: 'AssumedRole', principalId: `${role?.id ?? ''}:${p.sessionName ?? ''}`, arn: p.arn,
      accountId: p.accountId, accessKeyId: p.accessKeyId,
      sessionContext: {
        sessionIssuer: {type: 'Role', principalId: role?.id ?? '', arn: role?.arn ?? '', accountId: p.accountId,
          userName: p.roleName ?? ''},
        attributes: {creationDate: new Date(p.issuedAt).toISOString(), mfaAuthenticated: 'false'},
      },
    };
  }
  const user = state.user(p.accountId, p.userName ?? '');
  return {type: 'IAMUser', principalId: user?.id ?? '', arn: p.arn, accountId: p.accountId,
    accessKeyId: p.accessKeyId, userName: p.userName ?? ''};
}

export function recordEvent(account: SimAccount, state: SimState, event: Omit<TrailEvent, 'eventId'>): TrailEvent {
  const full: TrailEvent = {...event, eventId: state.ids.uuid()};
  account.trail.push(full);
  return full;
}

const LOOKUP_KEYS: Readonly<Record<string, (e: TrailEvent) => string>> = {
  EventName: (e) => e.eventName,
  EventSource: (e) => e.eventSource,
  EventId: (e) => e.eventId,
  Username: (e) => e.username,
  AccessKeyId: (e) => e.accessKeyId ?? '',
  ReadOnly: (e) => String(e.readOnly),
  ResourceName: (e) => e.resources.map((r) => r.ResourceName).join('\u0000'),
  ResourceType: (e) => e.resources.map((r) => r.ResourceType).join('\u0000'),
};

function cloudTrailEvent(account: SimAccount, e: TrailEvent): string {
  return JSON.stringify({
    eventVersion: '1.09', userIdentity: e.userIdentity, eventTime: new Date(e.eventTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: e.eventSource, eventName: e.eventName, awsRegion: e.region, sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-sdk-js', requestParameters: e.requestParameters, responseElements: e.responseElements,
    requestID: e.eventId, eventID: e.eventId, readOnly: e.readOnly, eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: account.id, eventCategory: 'Management',
  });
}

function epoch(value: unknown): number | undefined {
  return typeof value === 'number' ? value * 1000 : undefined;
}

export const cloudTrailHandlers: Record<string, JsonHandler> = {
  LookupEvents: (ctx) => {
    const attributes = ctx.input.array('LookupAttributes') as {AttributeKey?: string; AttributeValue?: string}[];
    if (attributes.length > 1) {
      throw new AwsSimError('InvalidLookupAttributesException', 400, 'You can only specify one lookup attribute.');
    }
    const attribute = attributes[0];
    const read = attribute ? LOOKUP_KEYS[attribute.AttributeKey ?? ''] : undefined;
    if (attribute && !read) {
      throw new AwsSimError('InvalidLookupAttributesException', 400,
        `Lookup attribute key ${String(attribute.AttributeKey)} is not valid.`);
    }
    const start = Math.max(epoch(ctx.input.body['StartTime']) ?? 0, ctx.now - RETENTION_MS);
    const end = epoch(ctx.input.body['EndTime']) ?? ctx.now;
    if (start > end) {
      throw new AwsSimError('InvalidTimeRangeException', 400, 'Occurs if the timestamp values are not valid.');
    }
    const events = ctx.account.trail
      .filter((e) => e.region === ctx.caller.region && e.eventTime >= start && e.eventTime <= end)
      .filter((e) => !read || read(e).split('\u0000').includes(attribute?.AttributeValue ?? ''))
      .sort((a, b) => b.eventTime - a.eventTime);
    const p = page(events, ctx.input.optional('NextToken'), ctx.input.integer('MaxResults'),
      {max: 50, fallback: 50, cap: ctx.knobs.pageCap}, true);
    const shaped: WireValue[] = p.items.map((e) => ({
      EventId: e.eventId, EventName: e.eventName, ReadOnly: String(e.readOnly), AccessKeyId: e.accessKeyId,
      EventTime: new Date(e.eventTime), EventSource: e.eventSource, Username: e.username,
      Resources: e.resources.map((r) => ({...r})), CloudTrailEvent: cloudTrailEvent(ctx.account, e),
    }));
    return {Events: shaped, NextToken: p.next};
  },
};
