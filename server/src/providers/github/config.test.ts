// The provider's YAML section: strict, with defaults, exactly one credential, and an example that validates as is.
import {describe, expect, it} from '@jest/globals';
import {parse} from 'yaml';
import {configExample, configSchema} from './config.js';
import {githubProvider} from './index.js';

describe('github provider config', () => {
  it('applies defaults and normalises the mapping', () => {
    const cfg = configSchema.parse({orgs: ['acme'], token: 't0k', mapping: {'@Dana': '@dwhitfield'}});
    expect(cfg).toMatchObject({
      enabled: true, base_url: 'https://api.github.com', default_access: 'remove', shared_secrets: [],
      repo_invitation_scan_limit: 500, request_timeout_ms: 30_000, mapping: {dana: 'dwhitfield'},
    });
    expect(configSchema.parse({orgs: ['a'], token: 't', base_url: 'https://ghe.example.com/api/v3/'}).base_url)
      .toBe('https://ghe.example.com/api/v3');
  });

  it('wants exactly one of token and app, and refuses unknown keys and values', () => {
    const app = {app_id: '123', private_key: '-----BEGIN PRIVATE KEY-----'};
    expect(configSchema.parse({orgs: ['a'], app}).app?.app_id).toBe(123);
    expect(configSchema.safeParse({orgs: ['a']}).success).toBe(false);
    expect(configSchema.safeParse({orgs: ['a'], token: 't', app}).success).toBe(false);
    expect(configSchema.safeParse({orgs: [], token: 't'}).success).toBe(false);
    expect(configSchema.safeParse({orgs: ['a'], token: 't', default_access: 'delete'}).success).toBe(false);
    expect(configSchema.safeParse({orgs: ['a'], token: 't', owner: 'x'}).success).toBe(false);
    expect(configSchema.safeParse({orgs: ['a'], app: {...app, extra: 1}}).success).toBe(false);
  });

  it('ships an example that parses under providers: and validates once a credential is filled in', () => {
    const doc = parse(`providers:\n${configExample}`) as {providers: {github: Record<string, unknown>}};
    const section = doc.providers.github;
    // The example points at a key file; the config loader turns private_key_file into private_key.
    const app = section['app'] as Record<string, unknown>;
    expect(app['private_key_file']).toBe('/etc/offboard/github-app.pem');
    delete app['private_key_file'];
    app['private_key'] = 'pem';
    expect(githubProvider.configSchema.parse(section)).toMatchObject({orgs: ['acme'], app: {app_id: 123456}, mapping: {}});
    const commented = configExample.split('\n').filter((l) => /^\s*#\s+-?\s*(name|instructions|owner):/.test(l));
    expect(commented).toHaveLength(3);
  });
});
