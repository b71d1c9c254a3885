// The simulator's wire behaviour through the real SDK: pagination (IAM Marker/IsTruncated, NextToken), errors and
// their shapes, authentication from the SigV4 credential scope, AssumeRole into member accounts, throttling and
// latency knobs, the request counter, and the containment policy enforced on the user's own credentials.
import {afterEach, describe, expect, it} from '@jest/globals';
import {GetAccountAuthorizationDetailsCommand, GetUserCommand, ListUsersCommand} from '@aws-sdk/client-iam';
import {CloseAccountCommand, ListAccountsCommand} from '@aws-sdk/client-organizations';
import {AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand} from '@aws-sdk/client-sts';
import {CloudTrailClient, LookupEventsCommand} from '@aws-sdk/client-cloudtrail';
import {CreateAccessKeyCommand} from '@aws-sdk/client-iam';
import {failure, MANAGEMENT, MEMBER, simFixture, type SimFixture} from './test_support.js';

let fixtures: SimFixture[] = [];
async function fixture(options = {}): Promise<SimFixture> {
  const f = await simFixture(options);
  fixtures.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fixtures.map((f) => f.sim.close()));
  fixtures = [];
});

async function assume(f: SimFixture, account: string, extra: Record<string, string> = {}) {
  const out = await f.sts().send(new AssumeRoleCommand({RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
    RoleSessionName: 'offboarding', ...extra}));
  const c = out.Credentials;
  return {accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? ''};
}

describe('aws sim: pagination', () => {
  it('pages IAM lists with Marker/IsTruncated, honouring MaxItems and the page cap', async () => {
    const f = await fixture({pageCap: 2});
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) f.sim.createUser(MEMBER, {name});
    const iam = f.iam(await assume(f, MEMBER));
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await iam.send(new ListUsersCommand({MaxItems: 100, ...(marker ? {Marker: marker} : {})}));
      names.push(...(out.Users ?? []).map((u) => u.UserName ?? ''));
      marker = out.IsTruncated ? out.Marker : undefined;
      pages += 1;
    } while (marker);
    expect({names, pages}).toEqual({names: ['u1', 'u2', 'u3', 'u4', 'u5'], pages: 3});
    const detail = await iam.send(new GetAccountAuthorizationDetailsCommand({Filter: ['User'], MaxItems: 1}));
    expect(detail).toMatchObject({IsTruncated: true, UserDetailList: [{UserName: 'u1'}]});
    expect(await failure(iam.send(new ListUsersCommand({Marker: 'not-a-marker'})))).toMatchObject({status: 400});
  });

  it('pages ListAccounts with NextToken and refuses MaxResults above 20', async () => {
    const f = await fixture();
    for (let i = 2; i <= 25; i++) f.sim.addMemberAccount({id: String(200000000000 + i), name: `a${i}`, email: `a${i}@x`});
    const org = f.organizations();
    const first = await org.send(new ListAccountsCommand({MaxResults: 20}));
    const second = await org.send(new ListAccountsCommand({MaxResults: 20, NextToken: first.NextToken}));
    expect([first.Accounts?.length, second.Accounts?.length, second.NextToken]).toEqual([20, 6, undefined]);
    expect(first.Accounts?.[0]).toMatchObject({Id: MANAGEMENT, State: 'ACTIVE', Status: 'ACTIVE'});
    expect(await failure(org.send(new ListAccountsCommand({MaxResults: 50}))))
      .toMatchObject({name: 'InvalidInputException', status: 400});
  });
});

describe('aws sim: credentials and accounts', () => {
  it('rejects missing and unknown credentials with the real errors', async () => {
    const f = await fixture();
    const unknown = await failure(f.iam({accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'})
      .send(new GetUserCommand({UserName: 'offboarding-service'})));
    expect(unknown).toMatchObject({name: 'InvalidClientTokenId', status: 403});
    const unsigned = await fetch(f.sim.url, {method: 'POST', body: 'Action=ListUsers&Version=2010-05-08',
      headers: {'content-type': 'application/x-www-form-urlencoded'}});
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const json = await fetch(f.sim.url, {method: 'POST', body: '{}', headers: {
      'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts'}});
    expect([json.status, (await json.json() as {__type: string}).__type])
      .toEqual([403, 'com.amazonaws.organizations#MissingAuthenticationTokenException']);
  });

  it('issues AssumeRole credentials that act in the member account, and refuses a broken trust', async () => {
    const f = await fixture();
    f.sim.createUser(MEMBER, {name: 'only-in-member'});
    const creds = await assume(f, MEMBER);
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    const who = await f.sts(creds).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({Account: MEMBER,
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/OrganizationAccountAccessRole/offboarding`});
    expect((await f.iam(creds).send(new GetUserCommand({UserName: 'only-in-member'}))).User?.UserName)
      .toBe('only-in-member');
    expect(await failure(f.iam().send(new GetUserCommand({UserName: 'only-in-member'}))))
      .toMatchObject({name: 'NoSuchEntityException'});
    expect(await failure(f.organizations({accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken} as never).send(new ListAccountsCommand({})))).toMatchObject({name: 'AccessDeniedException'});
    f.sim.breakRole(MEMBER);
    const denied = await failure(assume(f, MEMBER));
    expect(denied).toMatchObject({name: 'AccessDenied', status: 403});
    expect(denied.message).toContain('is not authorized to perform: sts:AssumeRole');
    f.sim.revokeSessions();
    expect(await failure(f.iam(creds).send(new GetUserCommand({UserName: 'only-in-member'}))))
      .toMatchObject({name: 'ExpiredToken', status: 403});
  });

  it('requires the external id a role demands', async () => {
    const f = await fixture();
    f.sim.addMemberAccount({id: '200000000009', name: 'vendor', email: 'v@x', externalId: 'shared-guard'});
    expect(await failure(assume(f, '200000000009'))).toMatchObject({name: 'AccessDenied'});
    expect((await assume(f, '200000000009', {ExternalId: 'shared-guard'})).accessKeyId).toMatch(/^ASIA/);
  });

  it('enforces a deny-all inline policy on the user, and its TokenIssueTime statement on older sessions', async () => {
    const f = await fixture();
    f.sim.createUser(MANAGEMENT, {name: 'dana'});
    const key = f.sim.createAccessKey(MANAGEMENT, 'dana');
    const session = (await f.sts(key).send(new GetSessionTokenCommand({}))).Credentials;
    const sessionCreds = {accessKeyId: session?.AccessKeyId ?? '', secretAccessKey: session?.SecretAccessKey ?? '',
      sessionToken: session?.SessionToken ?? ''};
    const later = new Date(Date.now() + 1000).toISOString();
    f.sim.putUserPolicy(MANAGEMENT, 'dana', 'OnlyOldSessions', {Version: '2012-10-17', Statement: [{Effect: 'Deny',
      Action: '*', Resource: '*', Condition: {DateLessThan: {'aws:TokenIssueTime': later}}}]});
    // Long-term keys carry no token issue time: only the session is cut off by this statement.
    await f.iam(key).send(new GetUserCommand({}));
    expect(await failure(f.iam(sessionCreds).send(new GetUserCommand({}))))
      .toMatchObject({name: 'AccessDenied', status: 403});
    f.sim.putUserPolicy(MANAGEMENT, 'dana', 'DenyAll', {Version: '2012-10-17',
      Statement: [{Effect: 'Deny', Action: '*', Resource: '*'}]});
    const denied = await failure(f.iam(key).send(new GetUserCommand({})));
    expect(denied.message).toContain('with an explicit deny');
  });
});

describe('aws sim: knobs, counter and history', () => {
  it('throttles with each protocol\'s error, counts every request and adds latency', async () => {
    const f = await fixture();
    f.sim.failNext({count: 1, service: 'iam', error: 'throttle'});
    expect(await failure(f.iam().send(new GetUserCommand({UserName: 'offboarding-service'}))))
      .toMatchObject({name: 'Throttling', status: 400, message: 'Rate exceeded'});
    f.sim.failNext({count: 1, service: 'organizations', error: 'throttle'});
    expect(await failure(f.organizations().send(new ListAccountsCommand({}))))
      .toMatchObject({name: 'TooManyRequestsException', status: 400});
    f.sim.setThrottle({ratePerSecond: 0.001, burst: 1});
    await f.iam().send(new GetUserCommand({UserName: 'offboarding-service'}));
    expect(await failure(f.iam().send(new GetUserCommand({UserName: 'offboarding-service'}))))
      .toMatchObject({name: 'Throttling'});
    f.sim.setThrottle(null);
    expect(f.sim.count('iam:GetUser')).toBe(3);
    f.sim.setLatency(60);
    const started = Date.now();
    await f.iam().send(new GetUserCommand({UserName: 'offboarding-service'}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(f.sim.stats.calls).toBe(5);
  });

  it('answers a share of requests with 500s and leaves others hanging, as the fault rates say', async () => {
    const f = await fixture({errorRate: 1});
    expect(await failure(f.iam().send(new GetUserCommand({UserName: 'offboarding-service'}))))
      .toMatchObject({name: 'ServiceFailureException', status: 500});
    f.sim.setFaultRates({errorRate: 0, timeoutRate: 1});
    const hung = fetch(f.sim.url, {method: 'POST', body: 'Action=GetUser&Version=2010-05-08',
      signal: AbortSignal.timeout(100)});
    await expect(hung).rejects.toThrow();
    f.sim.setFaultRates({timeoutRate: 0});
    expect((await f.iam().send(new GetUserCommand({UserName: 'offboarding-service'}))).User?.UserName)
      .toBe('offboarding-service');
  });

  it('records CreateAccessKey in CloudTrail (without the secret) and pages LookupEvents', async () => {
    const f = await fixture({pageCap: 1});
    f.sim.createUser(MANAGEMENT, {name: 'ci-deploy'});
    await f.iam().send(new CreateAccessKeyCommand({UserName: 'ci-deploy'}));
    const secret = f.sim.state.user(MANAGEMENT, 'ci-deploy')?.accessKeys[0]?.secret ?? 'missing';
    f.sim.recordCreateAccessKey(MANAGEMENT, {actor: {kind: 'iam_user', userName: 'dana'}, userName: 'ci-deploy',
      accessKeyId: 'AKIAOLDER00000000000', at: Date.now() - 3_600_000});
    const trail = new CloudTrailClient({region: 'us-east-1', endpoint: f.sim.url, credentials: f.admin, maxAttempts: 1});
    const lookup = (token?: string) => trail.send(new LookupEventsCommand({LookupAttributes: [{AttributeKey: 'EventName',
      AttributeValue: 'CreateAccessKey'}], ...(token ? {NextToken: token} : {})}));
    const first = await lookup();
    const second = await lookup(first.NextToken);
    expect([first.Events?.length, second.Events?.length, second.NextToken]).toEqual([1, 1, undefined]);
    const newest = JSON.parse(first.Events?.[0]?.CloudTrailEvent ?? '{}') as Record<string, any>;
    expect(newest).toMatchObject({eventName: 'CreateAccessKey', requestParameters: {userName: 'ci-deploy'},
      userIdentity: {type: 'IAMUser', userName: 'offboarding-service'}});
    expect(JSON.stringify([first, second])).not.toContain(secret);
    const elsewhere = new CloudTrailClient({region: 'eu-west-1', endpoint: f.sim.url, credentials: f.admin, maxAttempts: 1});
    expect((await elsewhere.send(new LookupEventsCommand({}))).Events).toEqual([]);
  });

  it('closes accounts asynchronously within the concurrent-closure limit', async () => {
    const f = await fixture({concurrentClosures: 1, closureDelayMs: 60_000});
    f.sim.addMemberAccount({id: '200000000002', name: 'b', email: 'b@x'});
    const org = f.organizations();
    await org.send(new CloseAccountCommand({AccountId: MEMBER}));
    expect(f.sim.state.account(MEMBER)?.state).toBe('PENDING_CLOSURE');
    const busy = await failure(org.send(new CloseAccountCommand({AccountId: '200000000002'})));
    expect(busy).toMatchObject({name: 'ConstraintViolationException'});
    expect(await failure(org.send(new CloseAccountCommand({AccountId: MEMBER}))))
      .toMatchObject({name: 'AccountAlreadyClosedException'});
  });
});
