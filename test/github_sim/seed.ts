// Seeds: seedGithubOrg builds the sandbox's GitHub around Dana Whitfield (Mattermost @dana, dana@example.com), who is
// `dwhitfield` on GitHub; seedBenchOrg builds the benchmark's 10,000-repository organization. Both install the
// offboarding GitHub App and return its credentials, plus an org owner's personal token.
import {generateKeyPairSync} from 'node:crypto';
import * as ops from './ops.js';
import type {GithubSim} from './sim.js';
import type {RepoPermission} from './types.js';

export interface SeededApp {
  readonly appId: number;
  /** PKCS#8 PEM: what a GitHub App's downloaded private key holds. */
  readonly privateKeyPem: string;
  /** Installation id per organization login. */
  readonly installations: Readonly<Record<string, number>>;
}

export interface SeededGithub {
  /** The organizations, first the main one. */
  readonly orgs: readonly string[];
  readonly enterprise: string;
  /** Personal token of an owner of every seeded organization. */
  readonly ownerToken: string;
  readonly app: SeededApp;
  readonly subject: {readonly login: string; readonly email: string; readonly mattermostUsername: string};
}

/** An RSA key pair for the App (2048 bits, as GitHub issues them). */
export function appKeyPair(): {publicKeyPem: string; privateKeyPem: string} {
  const {publicKey, privateKey} = generateKeyPairSync('rsa', {
    modulusLength: 2048, publicKeyEncoding: {type: 'spki', format: 'pem'}, privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
  });
  return {publicKeyPem: publicKey, privateKeyPem: privateKey};
}

function installApp(sim: GithubSim, orgs: string[]): SeededApp {
  const keys = appKeyPair();
  const app = ops.createApp(sim.state, {slug: 'offboarding', publicKeyPem: keys.publicKeyPem, orgs});
  return {appId: app.id, privateKeyPem: keys.privateKeyPem, installations: Object.fromEntries(orgs.map((o) => [o, app.installations.get(o.toLowerCase()) as number]))};
}

/**
 * acme (Enterprise Cloud, SAML SSO, enterprise `acme-ent`): Dana is a member in two teams (maintainer of platform),
 * has direct grants on three repositories, a pending invitation to a fourth, two SSO-authorized credentials, a
 * fine-grained token grant, and (manualItems) two deploy keys she added and two forks. acme-labs (no SSO): she is an
 * outside collaborator on two repositories, and an email invitation to join is pending.
 */
export interface SandboxOptions {
  /** Deploy keys Dana added and her forks, which plan manual items (on by default; off lets a run end verified). */
  readonly manualItems?: boolean;
}

export function seedGithubOrg(sim: GithubSim, options: SandboxOptions = {}): SeededGithub {
  const manualItems = options.manualItems ?? true;
  const s = sim.state;
  const people: [string, string, string][] = [
    ['acme-admin', 'Sam Admin', 'sysadmin@example.com'], ['dwhitfield', 'Dana Whitfield', 'dana@example.com'],
    ['alice-n', 'Alice Nguyen', 'alice@example.com'], ['carol-o', 'Carol Okafor', 'carol@example.com'],
    ['bob-m', 'Bob Martinez', 'bob@example.com'],
  ];
  for (const [login, name, email] of people) ops.createUser(s, {login, name, emails: [email, `${login}@users.noreply.github.com`]});
  ops.createOrg(s, {login: 'acme', name: 'Acme', enterpriseCloud: true, samlSso: true, enterprise: 'acme-ent',
    verifiedDomains: ['example.com'], basePermission: 'read'});
  ops.addMember(s, 'acme', 'acme-admin', 'admin');
  for (const login of ['dwhitfield', 'alice-n', 'carol-o', 'bob-m']) ops.addMember(s, 'acme', login);
  for (const name of ['api', 'web', 'infra', 'deploy-tools', 'mobile', 'data-pipeline', 'secrets-vault', 'ops-runbooks']) {
    ops.createRepo(s, 'acme', {name});
  }
  ops.createRepo(s, 'acme', {name: 'docs', private: false});
  ops.createTeam(s, 'acme', {name: 'Platform'});
  ops.createTeam(s, 'acme', {name: 'Backend'});
  ops.createTeam(s, 'acme', {name: 'SRE', parent: 'platform'});
  ops.addTeamMember(s, 'acme', 'platform', 'dwhitfield', 'maintainer');
  ops.addTeamMember(s, 'acme', 'platform', 'carol-o');
  ops.addTeamMember(s, 'acme', 'backend', 'dwhitfield');
  ops.addTeamMember(s, 'acme', 'backend', 'alice-n', 'maintainer');
  ops.addTeamMember(s, 'acme', 'sre', 'carol-o');
  ops.grantTeamRepo(s, 'acme', 'platform', 'api', 'push');
  ops.grantTeamRepo(s, 'acme', 'platform', 'infra', 'admin');
  ops.grantTeamRepo(s, 'acme', 'backend', 'data-pipeline', 'push');
  ops.grantTeamRepo(s, 'acme', 'sre', 'ops-runbooks', 'maintain');
  ops.addCollaborator(s, 'acme', 'deploy-tools', 'dwhitfield', 'admin');
  ops.addCollaborator(s, 'acme', 'secrets-vault', 'dwhitfield', 'push');
  ops.addCollaborator(s, 'acme', 'docs', 'dwhitfield', 'maintain');
  ops.addCollaborator(s, 'acme', 'secrets-vault', 'alice-n', 'admin');
  ops.inviteToRepo(s, 'acme', 'mobile', {invitee: 'dwhitfield', inviter: 'acme-admin', permission: 'push'});
  for (const [login, email] of [['dwhitfield', 'dana@example.com'], ['alice-n', 'alice@example.com']] as const) {
    ops.addExternalIdentity(s, 'acme', {nameId: email, emails: [email], username: email.split('@')[0] ?? null, login});
  }
  ops.addCredentialAuthorization(s, 'acme', {login: 'dwhitfield', type: 'personal access token', note: 'laptop gh cli'});
  ops.addCredentialAuthorization(s, 'acme', {login: 'dwhitfield', type: 'SSH key', title: 'work laptop'});
  ops.addCredentialAuthorization(s, 'acme', {login: 'alice-n', type: 'personal access token', note: 'ci'});
  ops.addPatGrant(s, 'acme', {owner: 'dwhitfield', tokenName: 'release automation'});
  ops.addPatGrant(s, 'acme', {owner: 'alice-n', tokenName: 'dashboards'});
  ops.addDeployKey(s, 'acme', 'infra', {title: 'terraform', addedBy: 'carol-o', readOnly: false});
  if (manualItems) {
    ops.addDeployKey(s, 'acme', 'deploy-tools', {title: 'ci-deploy', addedBy: 'dwhitfield', readOnly: false});
    ops.addDeployKey(s, 'acme', 'api', {title: 'read-only mirror', addedBy: 'dwhitfield'});
    ops.createFork(s, 'acme', 'api', 'dwhitfield');
    ops.createFork(s, 'acme', 'docs', 'dwhitfield');
  }

  ops.createOrg(s, {login: 'acme-labs', name: 'Acme Labs', basePermission: 'none'});
  ops.addMember(s, 'acme-labs', 'acme-admin', 'admin');
  ops.addMember(s, 'acme-labs', 'alice-n');
  for (const name of ['prototype', 'ml-experiments', 'website']) ops.createRepo(s, 'acme-labs', {name});
  ops.addCollaborator(s, 'acme-labs', 'prototype', 'dwhitfield', 'push');
  ops.addCollaborator(s, 'acme-labs', 'ml-experiments', 'dwhitfield', 'admin');
  ops.inviteToOrg(s, 'acme-labs', {email: 'dana@example.com', inviter: 'acme-admin'});

  return {
    orgs: ['acme', 'acme-labs'], enterprise: 'acme-ent', ownerToken: ops.issueUserToken(s, 'acme-admin'),
    app: installApp(sim, ['acme', 'acme-labs']),
    subject: {login: 'dwhitfield', email: 'dana@example.com', mattermostUsername: 'dana'},
  };
}

/**
 * The `providers.github` section the sandbox writes for a simulator seeded by seedGithubOrg: signed in as the App,
 * whose key the caller has written to `privateKeyFile` (config.ts turns `private_key_file` into `private_key`).
 * Dana needs no mapping: her SAML identity gives her login. The shared secret shows a manual rotation task (leave it
 * out, and seed with manualItems: false, for a run that ends verified without anyone completing manual items).
 */
export function sandboxGithubSection(
  url: string, seed: SeededGithub, privateKeyFile: string, options: {sharedSecret?: boolean} = {},
): Record<string, unknown> {
  const sharedSecrets = options.sharedSecret ?? true ? [{name: "Mattermod's GitHub token", owner: 'alice',
    instructions: 'Regenerate it in the mattermod bot account (Settings → Developer settings) and update the deployment secret.'}] : [];
  return {
    base_url: url, orgs: [...seed.orgs], enterprise: seed.enterprise,
    app: {app_id: seed.app.appId, private_key_file: privateKeyFile}, shared_secrets: sharedSecrets,
  };
}

export interface BenchOrgOptions {
  readonly repos: number;
  readonly directGrants: number;
  readonly teams: number;
  /** Other members of the organization. */
  readonly members?: number;
}

export interface SeededBench extends SeededGithub {
  /** Repositories the person has a direct grant on. */
  readonly grantedRepos: readonly string[];
}

/**
 * `bigcorp` with `repos` repositories; the person (`jdoe`, jdoe@bigcorp.example) is a member in `teams` teams, holds
 * direct grants on `directGrants` repositories spread across the organization, two SSO-authorized credentials, a
 * token grant, two pending repository invitations, three deploy keys and a public fork.
 */
export function seedBenchOrg(sim: GithubSim, o: BenchOrgOptions): SeededBench {
  const s = sim.state;
  const login = 'jdoe';
  ops.createUser(s, {login: 'bigcorp-admin', emails: ['admin@bigcorp.example']});
  ops.createUser(s, {login, name: 'Jordan Doe', emails: ['jdoe@bigcorp.example']});
  ops.createOrg(s, {login: 'bigcorp', enterpriseCloud: true, samlSso: true, enterprise: 'bigcorp-ent',
    verifiedDomains: ['bigcorp.example'], basePermission: 'read'});
  ops.addMember(s, 'bigcorp', 'bigcorp-admin', 'admin');
  ops.addMember(s, 'bigcorp', login);
  const others: string[] = [];
  for (let i = 0; i < (o.members ?? 50); i++) {
    const other = `dev${String(i).padStart(3, '0')}`;
    ops.createUser(s, {login: other, emails: [`${other}@bigcorp.example`]});
    ops.addMember(s, 'bigcorp', other);
    others.push(other);
  }
  const names: string[] = [];
  for (let i = 0; i < o.repos; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    ops.createRepo(s, 'bigcorp', {name, private: i % 10 !== 0});
    names.push(name);
  }
  const step = Math.max(1, Math.floor(o.repos / Math.max(1, o.directGrants)));
  const granted: string[] = [];
  const perms: RepoPermission[] = ['push', 'maintain', 'admin', 'triage'];
  for (let i = 0; i < o.directGrants; i++) {
    const name = names[(i * step + 7) % names.length] as string;
    ops.addCollaborator(s, 'bigcorp', name, login, perms[i % perms.length] as RepoPermission);
    granted.push(name);
  }
  for (let i = 0; i < o.repos; i += 97) ops.addCollaborator(s, 'bigcorp', names[i] as string, others[i % others.length] as string, 'push');
  for (let t = 0; t < o.teams + 5; t++) {
    const slug = `team-${t}`;
    ops.createTeam(s, 'bigcorp', {name: slug});
    if (t < o.teams) ops.addTeamMember(s, 'bigcorp', slug, login, t % 5 === 0 ? 'maintainer' : 'member');
    ops.addTeamMember(s, 'bigcorp', slug, others[t % others.length] as string);
    for (let k = 0; k < 5; k++) ops.grantTeamRepo(s, 'bigcorp', slug, names[(t * 131 + k * 17) % names.length] as string, 'push');
  }
  ops.addExternalIdentity(s, 'bigcorp', {nameId: 'jdoe@bigcorp.example', emails: ['jdoe@bigcorp.example'], username: 'jdoe', login});
  ops.addCredentialAuthorization(s, 'bigcorp', {login, type: 'personal access token', note: 'cli'});
  ops.addCredentialAuthorization(s, 'bigcorp', {login, type: 'SSH key', title: 'laptop'});
  ops.addPatGrant(s, 'bigcorp', {owner: login, tokenName: 'automation'});
  for (const name of [names[11], names[12]]) ops.inviteToRepo(s, 'bigcorp', name as string, {invitee: login, inviter: 'bigcorp-admin'});
  for (let i = 0; i < 40; i++) {
    const name = names[(i * 251 + 3) % names.length] as string;
    ops.addDeployKey(s, 'bigcorp', name, {title: `key-${i}`, addedBy: i < 3 ? login : others[i % others.length] as string});
  }
  ops.createFork(s, 'bigcorp', names[0] as string, login);
  return {
    orgs: ['bigcorp'], enterprise: 'bigcorp-ent', ownerToken: ops.issueUserToken(s, 'bigcorp-admin'),
    app: installApp(sim, ['bigcorp']), subject: {login, email: 'jdoe@bigcorp.example', mattermostUsername: 'jdoe'},
    grantedRepos: granted,
  };
}
