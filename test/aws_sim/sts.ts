// STS (Query protocol): GetCallerIdentity, AssumeRole into a role whose trust policy names the caller's account
// (and its sts:ExternalId), GetSessionToken for IAM users. Issued credentials select the target account.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
import type {CallContext, QueryHandler} from './context.js';
import {AwsSimError} from './errors.js';
import type {QueryParams} from './protocol.js';
import type {Principal} from './state.js';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function duration(ctx: CallContext<QueryParams>, fallback: number, max: number, what: string): number {
  const seconds = ctx.input.integer('DurationSeconds') ?? fallback;
  if (seconds < 900) {
    throw new AwsSimError('ValidationError', 400, `1 validation error detected: Value '${seconds}' at ` +
      '\'durationSeconds\' failed to satisfy constraint: Member must have value greater than or equal to 900');
  }
  if (seconds > max) {
    throw new AwsSimError('ValidationError', 400,
      `The requested DurationSeconds exceeds the ${what} set for this role.`);
  }
  return seconds;
}

function issue(ctx: CallContext<QueryParams>, base: Omit<Principal, 'accessKeyId' | 'secretAccessKey' |
  'sessionToken' | 'issuedAt' | 'expiresAt'>, seconds: number): Principal {
  return ctx.state.addPrincipal({
    ...base,
    accessKeyId: ctx.state.ids.next('ASIA', 20),
    secretAccessKey: ctx.state.ids.secret(),
    sessionToken: `FwoGZXIvYXdzE${ctx.state.ids.hex(48)}`,
    issuedAt: ctx.now,
    expiresAt: ctx.now + seconds * 1000,
  });
}

function credentials(p: Principal) {
  return {
    AccessKeyId: p.accessKeyId, SecretAccessKey: p.secretAccessKey, SessionToken: p.sessionToken ?? '',
    Expiration: new Date(p.expiresAt ?? 0),
  };
}

export const stsHandlers: Record<string, QueryHandler> = {
  GetCallerIdentity: (ctx) => {
    const p = ctx.caller.principal;
    const user = p.kind === 'role_session' ? undefined : ctx.state.user(p.accountId, p.userName ?? '');
    const role = p.kind === 'role_session' ? ctx.account.iam.roles.get((p.roleName ?? '').toLowerCase()) : undefined;
    const userId = p.kind === 'role_session' ? `${role?.id ?? 'AROAUNKNOWN'}:${p.sessionName ?? ''}` : user?.id ?? '';
    return {UserId: userId, Account: p.accountId, Arn: p.arn};
  },

  AssumeRole: (ctx) => {
    const roleArn = ctx.input.required('RoleArn');
    const sessionName = ctx.input.required('RoleSessionName');
    if (!SESSION_NAME.test(sessionName)) {
      throw new AwsSimError('ValidationError', 400, `1 validation error detected: Value '${sessionName}' at ` +
        '\'roleSessionName\' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    }
    const match = ROLE_ARN.exec(roleArn);
    if (!match) throw new AwsSimError('ValidationError', 400, `${roleArn} is invalid`);
    const [, accountId, roleName] = match as unknown as [string, string, string];
    const denied = (): AwsSimError => new AwsSimError('AccessDenied', 403,
      `User: ${ctx.caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    const target = ctx.state.account(accountId);
    const role = target?.iam.roles.get(roleName.toLowerCase());
    // AWS does not tell a missing role from one whose trust policy refuses the caller: both are AccessDenied.
    if (!target || target.state !== 'ACTIVE' || !role || !role.trustedAccounts.has(ctx.account.id)) throw denied();
    if (role.externalId !== undefined && ctx.input.optional('ExternalId') !== role.externalId) throw denied();
    // Role chaining caps the session at one hour.
    const chained = ctx.caller.principal.kind === 'role_session';
    const seconds = duration(ctx, 3600, chained ? 3600 : role.maxSessionSeconds, 'MaxSessionDuration');
    const session = issue(ctx, {
      accountId, kind: 'role_session', arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
      roleName: role.name, sessionName,
    }, seconds);
    return {
      Credentials: credentials(session),
      AssumedRoleUser: {AssumedRoleId: `${role.id}:${sessionName}`, Arn: session.arn},
    };
  },

  GetSessionToken: (ctx) => {
    const p = ctx.caller.principal;
    if (p.kind !== 'user') {
      throw new AwsSimError('AccessDenied', 403, 'Cannot call GetSessionToken with session credentials');
    }
    const seconds = duration(ctx, 43_200, 129_600, 'maximum of 36 hours');
    const session = issue(ctx, {accountId: p.accountId, kind: 'user_session', arn: p.arn,
      userName: p.userName ?? ''}, seconds);
    return {Credentials: credentials(session)};
  },
};
