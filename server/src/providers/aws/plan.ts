// Pure planning in AWS's safe order: contain (deny-all inline policy, key deactivation, Identity Center deny SCP),
// then revoke every dependent DeleteUser waits for, then DeleteUser; service keys become manual rotation tasks;
// owned accounts are closed only behind an extra confirmation and within the closure quota. Deterministic.
import type {Finding, Identity, JsonObject, Phase, PlanOptionSpec, StepSpec} from '../../engine/types.js';
import {
  type Action, CONTAIN_POLICY_NAME, dataString, type FindingKind, type ManualAction, PROVIDER_ID, stepId,
} from './model.js';
import {planManual} from './plan_manual.js';

export const planOptions: readonly PlanOptionSpec[] = [
  {key: 'deactivate_service_keys', type: 'boolean', default: false,
    title: 'Deactivate access keys the person created for service users now (their consumers break until rotated)'},
  {key: 'close_owned_accounts', type: 'boolean', default: false,
    title: 'Close AWS accounts the person owns (CloseAccount; AWS Support can reinstate within 90 days)'},
  {key: 'confirm_account_closure', type: 'text', default: '',
    title: 'Confirm closure: the ids of the accounts to close, comma-separated'},
];

/** Revoke actions per finding kind: each removes one thing DeleteUser waits for. */
const REVOKE: Partial<Record<FindingKind, {action: Action; key: string; title: (item: string, user: string) => string}>> = {
  login_profile: {action: 'delete_login_profile', key: '', title: (_, u) => `Delete the console password of ${u}`},
  access_key: {action: 'delete_access_key', key: 'access_key_id', title: (k, u) => `Delete access key ${k} of ${u}`},
  signing_certificate: {action: 'delete_signing_certificate', key: 'certificate_id',
    title: (c, u) => `Delete signing certificate ${c} of ${u}`},
  ssh_public_key: {action: 'delete_ssh_public_key', key: 'ssh_key_id', title: (k, u) => `Delete SSH public key ${k} of ${u}`},
  service_credential: {action: 'delete_service_credential', key: 'credential_id',
    title: (c, u) => `Delete service-specific credential ${c} of ${u}`},
  mfa_device: {action: 'delete_mfa_device', key: 'serial', title: (m, u) => `Deactivate and delete MFA device ${m} of ${u}`},
  inline_policy: {action: 'delete_inline_policy', key: 'policy_name', title: (p, u) => `Delete inline policy ${p} of ${u}`},
  attached_policy: {action: 'detach_policy', key: 'policy_arn', title: (p, u) => `Detach managed policy ${p} from ${u}`},
  group_membership: {action: 'remove_from_group', key: 'group_name', title: (g, u) => `Remove ${u} from group ${g}`},
};

export interface Planner {
  readonly steps: StepSpec[];
  add(spec: {phase: Phase; action: Action; account: string; target: string; title: string; params: JsonObject;
    dependsOn?: string[]}): string;
  manual(spec: {phase: Phase; action: ManualAction; account: string; target: string; title: string;
    instructions: string; params: JsonObject}): string;
}

function planner(): Planner {
  const steps: StepSpec[] = [];
  const seen = new Set<string>();
  const push = (spec: StepSpec): string => {
    if (!seen.has(spec.id)) {
      seen.add(spec.id);
      steps.push(spec);
    }
    return spec.id;
  };
  return {
    steps,
    add: (s) => push({id: stepId(s.action, s.account, s.target), provider: PROVIDER_ID, phase: s.phase,
      action: s.action, target: `${s.account}:${s.target}`, title: s.title, kind: 'auto', dependsOn: s.dependsOn ?? [],
      params: s.params}),
    manual: (s) => push({id: stepId(s.action, s.account, s.target), provider: PROVIDER_ID, phase: s.phase,
      action: s.action, target: `${s.account}:${s.target}`, title: s.title, kind: 'manual', dependsOn: [],
      params: s.params, instructions: s.instructions}),
  };
}

export function plan(findings: readonly Finding[], options: JsonObject, identities: readonly Identity[]): StepSpec[] {
  const p = planner();
  const own = findings.filter((f) => f.provider === PROVIDER_ID && !f.residual)
    .slice().sort((a, b) => a.id.localeCompare(b.id));
  const of = (kind: FindingKind): Finding[] => own.filter((f) => f.kind === kind);
  const org = identities.find((i) => i.provider === PROVIDER_ID && dataString(i.data, 'kind') === 'organization');
  const management = org ? dataString(org.data, 'management_account_id') : 'organization';

  for (const user of of('iam_user')) planIamUser(p, user, own);
  for (const f of of('service_key')) planServiceKey(p, f, options);
  planSso(p, own, management);
  planManual(p, own, options, identities, management);
  // The engine starts a phase's ready steps in plan order, and a burst of requests is answered about in the order it
  // went out: steps that need calls one after another (an MFA device is deactivated, then deleted) go first, so the
  // phase does not wait on a chain that started last.
  return p.steps.map((step, i) => ({step, i}))
    .sort((a, b) => chainRank(a.step) - chainRank(b.step) || a.i - b.i).map((x) => x.step);
}

const chainRank = (step: StepSpec): number => (step.action === 'delete_mfa_device' ? 0 : 1);

function planIamUser(p: Planner, user: Finding, own: readonly Finding[]): void {
  const account = dataString(user.data, 'account_id');
  const name = dataString(user.data, 'user_name');
  const where = `in ${dataString(user.data, 'account_name')} (${account})`;
  const base = {account_id: account, user_name: name};
  const mine = own.filter((f) => dataString(f.data, 'account_id') === account &&
    dataString(f.data, 'user_name') === name && f.kind !== 'iam_user');
  p.add({phase: 'contain', action: 'deny_user', account, target: name, params: {...base, policy_name: CONTAIN_POLICY_NAME},
    title: `Deny everything to IAM user ${name} ${where}, including sessions issued before now`});
  for (const key of mine.filter((f) => f.kind === 'access_key' && dataString(f.data, 'status') === 'Active')) {
    const id = dataString(key.data, 'access_key_id');
    p.add({phase: 'contain', action: 'deactivate_access_key', account, target: `${name}/${id}`,
      title: `Deactivate access key ${id} of ${name} ${where}`, params: {...base, access_key_id: id}});
  }
  const revoked: string[] = [];
  for (const f of mine) {
    const rule = REVOKE[f.kind as FindingKind];
    if (!rule) continue;
    const value = rule.key === '' ? '' : dataString(f.data, rule.key);
    const label = f.kind === 'attached_policy' ? dataString(f.data, 'policy_name') || value : value;
    const params: JsonObject = {...base, ...(rule.key === '' ? {} : {[rule.key]: value})};
    if (f.kind === 'mfa_device') params['virtual'] = f.data['virtual'] === true;
    revoked.push(p.add({phase: 'revoke', action: rule.action, account, target: value ? `${name}/${value}` : name,
      title: `${rule.title(label, name)} ${where}`, params}));
  }
  p.add({phase: 'cleanup', action: 'delete_user', account, target: name, dependsOn: revoked,
    title: `Delete IAM user ${name} ${where}`, params: {...base, policy_name: CONTAIN_POLICY_NAME,
      planned_dependents: revoked.length}});
}

function planServiceKey(p: Planner, f: Finding, options: JsonObject): void {
  const account = dataString(f.data, 'account_id');
  const user = dataString(f.data, 'user_name');
  const key = dataString(f.data, 'access_key_id');
  const where = `${dataString(f.data, 'account_name')} (${account})`;
  const params = {account_id: account, user_name: user, access_key_id: key};
  if (options['deactivate_service_keys'] === true && dataString(f.data, 'status') === 'Active') {
    p.add({phase: 'contain', action: 'deactivate_service_key', account, target: `${user}/${key}`, params,
      title: `Deactivate access key ${key} of service user ${user} in ${where} (made by the person)`});
  }
  p.manual({phase: 'cleanup', action: 'rotate_access_key', account, target: `${user}/${key}`, params,
    title: `Rotate access key ${key} of service user ${user} in ${where}`,
    instructions: `The person created access key ${key} for IAM user ${user} in account ${where} ` +
      `(${dataString(f.data, 'created_by')}, ${dataString(f.data, 'created_at') || 'date unknown'}) and may hold a ` +
      'copy. Create a new key for the user, deliver it to every consumer (CI secrets, deploy configs), watch the old ' +
      `key's last use (${dataString(f.data, 'last_used_at') || 'never used'}) stop, then deactivate and delete ${key}.`});
}

function planSso(p: Planner, own: readonly Finding[], management: string): void {
  for (const user of own.filter((f) => f.kind === 'sso_user')) {
    const userId = dataString(user.data, 'user_id');
    const userName = dataString(user.data, 'user_name');
    const base = {user_id: userId, user_name: userName, identity_store_id: dataString(user.data, 'identity_store_id'),
      instance_arn: dataString(user.data, 'instance_arn')};
    const policy = dataString(user.data, 'deny_policy_name');
    if (policy !== '') {
      p.add({phase: 'contain', action: 'deny_sso_user', account: management, target: userId, params: {...base,
        policy_name: policy}, title: `Deny Identity Center user ${userName} in every member account (SCP ${policy})`});
    }
    const revoked: string[] = [];
    for (const f of own.filter((x) => x.kind === 'sso_assignment' && dataString(x.data, 'user_id') === userId)) {
      const ps = dataString(f.data, 'permission_set_arn');
      const account = dataString(f.data, 'account_id');
      revoked.push(p.add({phase: 'revoke', action: 'delete_sso_assignment', account,
        target: `${ps.split('/').pop() ?? ps}/${userId}`, params: {...base, account_id: account, permission_set_arn: ps},
        title: `Remove ${userName}'s ${dataString(f.data, 'permission_set_name')} assignment in account ${account}`}));
    }
    for (const f of own.filter((x) => x.kind === 'sso_group_membership' && dataString(x.data, 'user_id') === userId)) {
      revoked.push(p.add({phase: 'revoke', action: 'remove_sso_group_membership', account: management,
        target: dataString(f.data, 'membership_id'), params: {...base, membership_id: dataString(f.data, 'membership_id'),
          group_id: dataString(f.data, 'group_id')},
        title: `Remove ${userName} from Identity Center group ${dataString(f.data, 'group_name')}`}));
    }
    p.add({phase: 'cleanup', action: 'delete_sso_user', account: management, target: userId, dependsOn: revoked,
      params: base, title: `Delete Identity Center user ${userName}`});
  }
}

