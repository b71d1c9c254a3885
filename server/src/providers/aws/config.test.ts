// The provider's YAML section: strict, with defaults, secrets by *_file through the real loader, and the example
// `offboard configure` prints validates both as shipped (everything commented) and with every option uncommented.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from '@jest/globals';
import {parse} from 'yaml';
import {loadConfig} from '../../config.js';
import {awsSectionSchema, configExample} from './config.js';
import {awsProvider} from './index.js';

/** Uncomments every option line of the example (not the prose), leaving `*_file` keys to the loader test. */
function uncommented(example: string): string {
  return example.split('\n').map((line) => {
    const m = /^( {4})# ( *[a-z_]+:.*)$/.exec(line);
    if (!m || /_file:/.test(line)) return line;
    return `${m[1]}${m[2]}`;
  }).join('\n');
}

describe('aws provider config', () => {
  it('applies defaults and refuses unknown keys and malformed values', () => {
    const parsed = awsSectionSchema.parse({});
    expect(parsed).toMatchObject({region: 'us-east-1', account_source: 'organization',
      role_name: 'OrganizationAccountAccessRole', user_tag: 'email', user_name_patterns: ['{username}', '{email}'],
      cloudtrail: {enabled: true, region: 'us-east-1', lookback_days: 90}, account_owner_tag: 'owner',
      max_attempts: 5, max_in_flight_per_account: 16, session_name: 'offboarding'});
    for (const bad of [{unknown: 1}, {account_ids: ['123']}, {endpoint_url: 'localhost:4566'}, {region: 'mars'},
      {session_name: 'has space'}, {cloudtrail: {lookback_days: 91}}, {role_names: {'12': 'x'}},
      {identity_center: {instance_arn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef'}}]) {
      expect(awsProvider.configSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('ships an example that is off as shipped and validates with every option uncommented', () => {
    const shipped = parse(`providers:\n${configExample}`) as {providers: {aws: unknown}};
    // `aws:` with only comments is null: the loader drops it, so the provider stays off until configured.
    expect(shipped.providers.aws).toBeNull();
    const all = parse(`providers:\n${uncommented(configExample)}`) as {providers: {aws: Record<string, unknown>}};
    const parsed = awsSectionSchema.parse(all.providers.aws);
    expect(parsed).toMatchObject({access_key_id: 'AKIAIOSFODNN7EXAMPLE', endpoint_url: 'http://localhost:4566',
      account_ids: ['111122223333'], role_names: {'444455556666': 'OffboardingRole'},
      user_mapping: {dana: {'*': 'dana', '111122223333': ['dana-admin']}},
      identity_center: {identity_store_id: 'd-1234567890'}});
  });

  it('reads secret_access_key_file and external_id_file through the real loader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    try {
      writeFileSync(join(dir, 'secret'), 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
      writeFileSync(join(dir, 'bot'), 'bot-token\n');
      writeFileSync(join(dir, 'action'), `${'a'.repeat(40)}\n`);
      writeFileSync(join(dir, 'external'), 'guard-value\n');
      writeFileSync(join(dir, 'offboard.yaml'), [
        'mattermost: {url: "http://mm.local", bot_token_file: bot, command_teams: [acme]}',
        'service: {public_url: "http://svc.local", action_secret_file: action}',
        'providers:',
        '  aws:',
        '    access_key_id: AKIAIOSFODNN7EXAMPLE',
        '    secret_access_key_file: secret',
        '    external_id_file: external',
      ].join('\n'));
      const config = loadConfig({path: join(dir, 'offboard.yaml'), env: {}, providers: [awsProvider]});
      expect((config.providers as Record<string, Record<string, unknown>>)['aws']).toMatchObject({
        secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', external_id: 'guard-value'});
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
