// The sandbox's world: a seeded Mattermost simulator plus, when asked, the GitHub simulator (organizations where the
// person is a member and collaborator) and the AWS simulator (an organization in which the person has IAM users),
// and the config that points the service at them. Shared by
// `offboard sandbox` and the end-to-end test harness so both exercise the same setup.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {
  awsSandboxSection, seedAwsOrg, type SeededAwsOrg, startAwsSim,
} from '../../../test/aws_sim/index.js';
import {sandboxGithubSection, seedGithubOrg, startGithubSim} from '../../../test/github_sim/index.js';
import {seedWorkspace, startMattermostSim} from '../../../test/mattermost_sim/index.js';
import type {OffboardConfig} from '../config.js';
import {writeSandboxConfig} from './sandbox_config.js';

type MattermostSim = Awaited<ReturnType<typeof startMattermostSim>>;
type AwsSim = Awaited<ReturnType<typeof startAwsSim>>;
type GithubSim = Awaited<ReturnType<typeof startGithubSim>>;

export interface SandboxEnvOptions {
  readonly dir: string;
  readonly port: number;
  readonly logLevel?: string;
  /** Adds the AWS organization (on by default in the sandbox, opt-in for tests that only need Mattermost). */
  readonly aws?: boolean;
  /** Adds the GitHub organizations (same defaults as aws). */
  readonly github?: boolean;
  readonly overrides?: Record<string, unknown>;
}

export interface SandboxEnv {
  readonly sim: MattermostSim;
  readonly seed: Awaited<ReturnType<typeof seedWorkspace>>;
  readonly aws: {readonly sim: AwsSim; readonly seed: SeededAwsOrg} | null;
  readonly github: {readonly sim: GithubSim; readonly seed: ReturnType<typeof seedGithubOrg>} | null;
  readonly config: OffboardConfig;
  readonly configPath: string;
  close(): Promise<void>;
}

export async function startSandboxEnv(o: SandboxEnvOptions): Promise<SandboxEnv> {
  const sim = await startMattermostSim({});
  const seed = await seedWorkspace(sim);
  let aws: SandboxEnv['aws'] = null;
  const providers: Record<string, unknown> = {};
  if (o.aws) {
    const awsSim = await startAwsSim();
    // No service keys and no owned accounts: those become manual decisions, and the sandbox run should end verified.
    const awsSeed = seedAwsOrg(awsSim, {serviceKeys: 0, ownedAccounts: 0});
    writeFileSync(join(o.dir, 'aws_secret_access_key'), `${awsSeed.credentials.secretAccessKey}\n`, {mode: 0o600});
    providers.aws = awsSandboxSection(awsSeed, 'aws_secret_access_key');
    aws = {sim: awsSim, seed: awsSeed};
  }
  let github: SandboxEnv['github'] = null;
  if (o.github) {
    const githubSim = await startGithubSim();
    // Without the manual items (identity questions, shared-secret rotations) so the sandbox run ends verified.
    const githubSeed = seedGithubOrg(githubSim, {manualItems: false});
    writeFileSync(join(o.dir, 'github_app.pem'), githubSeed.app.privateKeyPem, {mode: 0o600});
    providers.github = sandboxGithubSection(githubSim.url, githubSeed, 'github_app.pem', {sharedSecret: false});
    github = {sim: githubSim, seed: githubSeed};
  }
  const overrides = o.overrides ?? {};
  const {config, path} = writeSandboxConfig({
    dir: o.dir, mattermostUrl: sim.url, botToken: seed.botToken, port: o.port,
    ...(o.logLevel ? {logLevel: o.logLevel} : {}),
    overrides: {...overrides, providers: {...providers, ...(overrides.providers as Record<string, unknown> ?? {})}},
  });
  return {
    sim, seed, aws, github, config, configPath: path,
    async close() {
      await sim.close();
      await aws?.sim.close();
      await github?.sim.close();
    },
  };
}
