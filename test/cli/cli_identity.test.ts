// `--identity system=id` on inventory / plan: the CLI's way to say who the person is in a system when the automatic
// matching is wrong, checked exactly like the modal's entries (bad input exits non-zero and creates nothing).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, jest} from '@jest/globals';
import {freePort, writeSandboxConfig} from '../../server/src/cli/sandbox_config.js';
import {awsSandboxSection, seedAwsOrg, startAwsSim, type AwsSim} from '../aws_sim/index.js';
import {CLI_TEST_TIMEOUT_MS, type CliFixture, startCliFixture} from './cli_support.js';

jest.setTimeout(CLI_TEST_TIMEOUT_MS);

let f: CliFixture;
let aws: AwsSim;
let configPath: string;
let dir: string;

beforeAll(async () => {
  f = await startCliFixture();
  aws = await startAwsSim();
  const seeded = seedAwsOrg(aws, {accounts: 4, personAccounts: 3, serviceKeys: 0, ownedAccounts: 0, identityCenter: false});
  dir = mkdtempSync(join(tmpdir(), 'offboard-cli-aws-'));
  writeFileSync(join(dir, 'aws_secret'), `${seeded.credentials.secretAccessKey}\n`, {mode: 0o600});
  configPath = writeSandboxConfig({dir, mattermostUrl: f.sim.url, botToken: f.seed.botToken, port: await freePort(),
    overrides: {providers: {aws: awsSandboxSection(seeded, 'aws_secret')}}}).path;
});
afterAll(async () => {
  await aws.close();
  await f.close();
  rmSync(dir, {recursive: true, force: true});
});

type Inventory = {providers: {id: string; identities: {id: string; source: string; confidence: string}[]}[]};
const awsIdentities = (stdout: string) => (JSON.parse(stdout) as Inventory).providers.find((p) => p.id === 'aws')
  ?.identities.filter((i) => i.id.startsWith('iam:')).map((i) => [i.id, i.confidence, i.source]);

describe('offboard inventory --identity', () => {
  it('uses exactly the entered IAM user name instead of tags and name patterns', async () => {
    const [automatic, entered] = await Promise.all([
      f.cli('inventory', '--config', configPath, '--subject', 'dana', '--json'),
      f.cli('inventory', '--config', configPath, '--subject', 'dana', '--json', '--identity', 'aws=dana.admin',
        '-i', 'aws=nobody-here'),
    ]);
    expect(automatic.code).toBe(0);
    expect(awsIdentities(automatic.stdout)?.length).toBe(3);
    expect(entered.code).toBe(0);
    expect(awsIdentities(entered.stdout)).toEqual([
      ['iam:200000000002:dana.admin', 'exact', 'entered by admin'],
      ['iam:*:nobody-here', 'not_found', 'entered by admin: no account has this IAM user'],
    ]);
  });

  it('refuses a system that is not editable, unknown or malformed, before anything is created', async () => {
    aws.resetStats();
    const run = (...extra: string[]) => f.cli('plan', '--config', configPath, '--subject', 'dana', ...extra);
    const [mattermost, unknown, malformed, invalid] = await Promise.all([
      run('--identity', 'mattermost=dana'), run('--identity', 'okta=dana'), run('--identity', 'aws'),
      run('--identity', 'aws=has space'),
    ]);
    expect(mattermost.code).toBe(1);
    expect(mattermost.stderr).toContain('Mattermost identities cannot be entered');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown system "okta"');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected system=id');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('"has space" is not a valid IAM user name');
    for (const res of [mattermost, unknown, malformed, invalid]) expect(res.stdout).toBe('');
    expect(aws.stats.calls).toBe(0);
  });
});
