// Pure planning: the findings of one GitHub login become the checklist contain → revoke → cleanup. Deterministic for
// the same findings, options and identity (findings are sorted by id, never taken in API order).
//  - contain: SSO credential authorizations and fine-grained token grants stop working at once;
//  - revoke: `remove` takes the person out of each organization (teams and repositories go with it) or removes the
//    outside collaborator; `read_only` demotes an owner, leaves the teams and lowers direct grants to read; pending
//    invitations are cancelled in both modes;
//  - cleanup: a sweep of the direct grants the organization removal should have taken, deploy keys (deleted only when
//    asked: that can break CI, so by default a rotation task), shared secrets to rotate, and forks no API deletes.
import type {Finding, Identity, JsonObject, Phase, PlanOptionSpec, StepSpec} from '../../engine/types.js';
import {
  type AccessMode, type Action, dataNumber, dataString, type FindingKind, PROVIDER_ID, stepId,
} from './model.js';

export const planOptions: readonly PlanOptionSpec[] = [
  {
    key: 'access', title: 'GitHub access', type: 'choice', default: 'configured',
    choices: [
      {value: 'configured', title: 'As configured (default_access; remove unless set)'},
      {value: 'remove', title: 'Remove from the organizations and every repository'},
      {value: 'read_only', title: 'Downgrade to read-only (reviews can continue)'},
    ],
  },
  {
    key: 'remove_deploy_keys', title: 'Delete deploy keys the person added (can break CI; otherwise a rotation task)',
    type: 'boolean', default: false,
  },
];

interface Planner {
  add(phase: Phase, action: Action, target: string, title: string, params: JsonObject): void;
  manual(
    phase: Phase, action: Action, target: string, title: string, instructions: string, params: JsonObject, assignee?: string,
  ): void;
}

function accessMode(options: JsonObject, identity: Identity | undefined): AccessMode {
  const chosen = options['access'];
  if (chosen === 'remove' || chosen === 'read_only') return chosen;
  return identity?.data['default_access'] === 'read_only' ? 'read_only' : 'remove';
}

export function plan(findings: readonly Finding[], options: JsonObject, identities: readonly Identity[]): StepSpec[] {
  const identity = identities.find((i) => i.provider === PROVIDER_ID);
  if (!identity) return [];
  const steps: StepSpec[] = [];
  const p: Planner = {
    add(phase, action, target, title, params) {
      steps.push({id: stepId(action, target), provider: PROVIDER_ID, phase, action, target, title, kind: 'auto', dependsOn: [],
        params});
    },
    manual(phase, action, target, title, instructions, params, assignee) {
      steps.push({id: stepId(action, target), provider: PROVIDER_ID, phase, action, target, title, kind: 'manual', dependsOn: [],
        params, instructions, ...(assignee ? {assignee} : {})});
    },
  };
  if (identity.confidence !== 'exact') {
    planIdentityQuestion(p, identity);
    planSharedSecrets(p, identity, '');
    return steps;
  }
  const login = identity.id;
  const mode = accessMode(options, identity);
  const own = findings.filter((f) => f.provider === PROVIDER_ID).sort((a, b) => a.id.localeCompare(b.id));
  const of = (kind: FindingKind): Finding[] => own.filter((f) => f.kind === kind);
  const ofOrg = (kind: FindingKind, org: string): Finding[] => of(kind).filter((f) => dataString(f.data, 'org') === org);

  for (const f of of('credential_authorization')) {
    const org = dataString(f.data, 'org');
    const id = dataNumber(f.data, 'credential_id');
    const name = dataString(f.data, 'name');
    p.add('contain', 'revoke_credential_authorization', `${org}/${id}`,
      `Revoke the SSO authorization of ${login}'s ${dataString(f.data, 'credential_type')}${name ? ` "${name}"` : ''} for ${org}`,
      {org, login, credential_id: id});
  }
  for (const f of of('pat_grant')) {
    const org = dataString(f.data, 'org');
    const id = dataNumber(f.data, 'grant_id');
    p.add('contain', 'revoke_pat_grant', `${org}/${id}`,
      `Revoke ${org}'s grant to ${login}'s fine-grained token "${dataString(f.data, 'token_name')}"`, {org, login, grant_id: id});
  }

  const orgs = [...new Set(own.map((f) => dataString(f.data, 'org')).filter((o) => o !== ''))].sort();
  for (const org of orgs) {
    const membership = ofOrg('org_membership', org)[0];
    const grants = ofOrg('repo_access', org);
    const repos = grants.map((g) => dataString(g.data, 'repo'));
    if (mode === 'remove') {
      if (membership) {
        const teams = ofOrg('team_membership', org).length;
        p.add('revoke', 'remove_from_org', `${org}/${login}`,
          `Remove ${login} from the ${org} organization${teams > 0 ? ` (and its ${teams} teams)` : ''}`,
          {org, login, role: dataString(membership.data, 'role')});
      } else if (ofOrg('outside_collaborator', org).length > 0) {
        p.add('revoke', 'remove_outside_collaborator', `${org}/${login}`,
          `Remove outside collaborator ${login} from every ${org} repository`, {org, login, repos});
      }
      if (repos.length > 0) {
        p.add('cleanup', 'remove_repo_access', `${org}/${login}`,
          `Make sure ${login} has no direct access left to ${repos.length} ${org} repositories`, {org, login, repos});
      }
    } else {
      planReadOnly(p, org, login, membership, ofOrg('team_membership', org), grants);
    }
    for (const f of ofOrg('org_invitation', org)) {
      const id = dataNumber(f.data, 'invitation_id');
      p.add('revoke', 'cancel_org_invitation', `${org}/${id}`, `Cancel the pending invitation of ${login} to ${org}`,
        {org, login, invitation_id: id});
    }
    for (const f of ofOrg('repo_invitation', org)) {
      const repo = dataString(f.data, 'repo');
      p.add('revoke', 'cancel_repo_invitation', `${org}/${repo}/${login}`, `Cancel the invitation of ${login} to ${org}/${repo}`,
        {org, login, repo});
    }
  }

  planDeployKeys(p, of('deploy_key'), login, options['remove_deploy_keys'] === true);
  planSharedSecrets(p, identity, login);
  // Local clones alone ask nothing of anyone (they stay listed in the inventory); a fork can be deleted on request.
  const residual = own.filter((f) => f.residual);
  if (residual.some((f) => f.kind === 'fork')) {
    p.manual('cleanup', 'review_residual_access', login, `Review what no API can revoke from ${login} (${residual.length} items)`,
      `No GitHub API removes these; ask ${login} to delete them and record the answer:\n`
      + `${residual.map((f) => `- ${f.label}`).join('\n')}\n`
      + 'A public fork stays public; if it holds secrets, rotate those secrets.', {login, items: residual.map((f) => f.label)});
  }
  for (const f of of('coverage_gap')) {
    const org = dataString(f.data, 'org');
    const what = dataString(f.data, 'what');
    p.manual('cleanup', 'review_coverage_gap', `${org}/${what}`, `${f.label}: check them by hand`,
      `${f.label} because ${dataString(f.data, 'reason')}. Check them in the organization's settings and remove what `
      + `belongs to ${login}.`,
      {org, what});
  }
  return steps;
}

function planReadOnly(p: Planner, org: string, login: string, membership: Finding | undefined, teams: readonly Finding[],
  grants: readonly Finding[]): void {
  if (membership && dataString(membership.data, 'role') === 'admin') {
    p.add('revoke', 'demote_org_owner', `${org}/${login}`, `Make ${login} a plain member of ${org} instead of an owner`,
      {org, login});
  }
  // A team's permission is the team's, not the person's: leaving the team is the only per-person downgrade.
  for (const t of teams) {
    const team = dataString(t.data, 'team');
    p.add('revoke', 'remove_from_team', `${org}/${team}/${login}`, `Remove ${login} from team ${org}/${team}`,
      {org, login, team});
  }
  const aboveRead = grants.filter((g) => dataString(g.data, 'permission') !== 'pull').map((g) => dataString(g.data, 'repo'));
  if (aboveRead.length > 0) {
    p.add('revoke', 'set_repo_access_read', `${org}/${login}`,
      `Lower ${login}'s direct access to read on ${aboveRead.length} ${org} repositories`, {org, login, repos: aboveRead});
  }
  const base = membership ? dataString(membership.data, 'base_permission') : '';
  if (base === 'write' || base === 'admin') {
    p.manual('revoke', 'limit_base_permission', `${org}/${login}`,
      `${login} keeps ${base} access to every ${org} repository through the base permission`,
      `${org}'s base permission is "${base}", which every member has. To leave ${login} read-only, convert them to an outside `
      + 'collaborator (Organization settings → People → Convert to outside collaborator) or lower the base permission.',
      {org, login, base_permission: base});
  }
}

function planDeployKeys(p: Planner, keys: readonly Finding[], login: string, remove: boolean): void {
  for (const k of keys) {
    const org = dataString(k.data, 'org');
    const repo = dataString(k.data, 'repo');
    const id = dataNumber(k.data, 'key_id');
    const title = dataString(k.data, 'title');
    if (remove) {
      p.add('cleanup', 'remove_deploy_key', `${org}/${repo}/${id}`,
        `Delete deploy key "${title}" that ${login} added to ${org}/${repo}`, {org, login, repo, key_id: id});
    } else {
      p.manual('cleanup', 'rotate_deploy_key', `${org}/${repo}/${id}`,
        `Rotate deploy key "${title}" that ${login} added to ${org}/${repo}`,
        `${login} may hold the private half of this key. Create a new key pair, add it to ${org}/${repo} `
        + '(Settings → Deploy keys), '
        + `move CI or whatever uses "${title}" to it, then delete the old key.`, {org, repo, key_id: id, title});
    }
  }
}

function planSharedSecrets(p: Planner, identity: Identity, login: string): void {
  const secrets = Array.isArray(identity.data['shared_secrets']) ? identity.data['shared_secrets'] : [];
  for (const s of secrets) {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) continue;
    const name = dataString(s, 'name');
    if (name === '') continue;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const instructions = dataString(s, 'instructions');
    p.manual('cleanup', 'rotate_shared_secret', slug, `Rotate ${name}`,
      `${login || 'The person'} could read ${name}. `
      + `${instructions || 'Issue a new one, update everything that uses it, then revoke the old one.'}`,
      {name}, dataString(s, 'owner') || undefined);
  }
}

function planIdentityQuestion(p: Planner, identity: Identity): void {
  const candidates = Array.isArray(identity.data['candidates']) ? identity.data['candidates'] : [];
  const listed = candidates.flatMap((c) => (c !== null && typeof c === 'object' && !Array.isArray(c)
    ? [`- @${dataString(c, 'login')} (${dataString(c, 'source')})`] : []));
  const who = dataString(identity.data, 'mattermost_username') || identity.id;
  const title = identity.confidence === 'ambiguous'
    ? `Confirm which GitHub account is @${who}'s` : `Find @${who}'s GitHub account, if any`;
  p.manual('contain', 'confirm_identity', who, title,
    `${identity.source}.${listed.length > 0 ? `\nCandidates:\n${listed.join('\n')}` : ''}\n`
    + `If @${who} has a GitHub account, add it to providers.github.mapping (${who}: <login>) and start a new inventory; `
    + 'otherwise complete this item with a note saying so.', {mattermost_username: who, confidence: identity.confidence});
}
