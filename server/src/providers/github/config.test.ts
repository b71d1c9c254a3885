// The provider's YAML section: strict, with defaults, exactly one credential, and an example that validates as is.
import {describe, expect, it} from '@jest/globals';
import {parse, stringify} from 'yaml';
import {sandboxGithubSection} from '../../../../test/github_sim/seed.js';
import {loadConfig} from '../../config.js';
import {mattermostProvider} from '../mattermost/index.js';
import {graphqlUrlFor} from './client.js';
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

  it('finds GraphQL next to the REST base URL, on github.com and on Enterprise Server', () => {
    expect(graphqlUrlFor('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrlFor('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/api/graphql');
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

describe('github provider config through the service loader', () => {
  it('loads the sandbox section with the App key from its file, never echoing the key', () => {
    const section = sandboxGithubSection('http://127.0.0.1:4010', {
      orgs: ['acme', 'acme-labs'], enterprise: 'acme-ent', ownerToken: 'unused',
      app: {appId: 77, privateKeyPem: 'unused', installations: {}},
      subject: {login: 'dwhitfield', email: 'dana@example.com', mattermostUsername: 'dana'},
    }, 'github-app.pem');
    const files: Record<string, string> = {
      '/cfg/offboard.yaml': stringify({
        mattermost: {url: 'http://127.0.0.1:8065', bot_token: 'bot', command_teams: ['acme']},
        service: {public_url: 'http://127.0.0.1:8080', action_secret: 'x'.repeat(32)},
        providers: {github: section},
      }),
      '/cfg/github-app.pem': '-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----\n',
    };
    const config = loadConfig({path: '/cfg/offboard.yaml', env: {}, providers: [mattermostProvider, githubProvider],
      readFile: (p) => {
        const text = files[p];
        if (text === undefined) throw Object.assign(new Error('missing'), {code: 'ENOENT'});
        return text;
      }});
    const github = (config.providers as Record<string, unknown>)['github'];
    expect(github).toMatchObject({base_url: 'http://127.0.0.1:4010', orgs: ['acme', 'acme-labs'], enterprise: 'acme-ent',
      app: {app_id: 77, private_key: expect.stringContaining('secret-key-material')}, default_access: 'remove',
      shared_secrets: [expect.objectContaining({name: "Mattermod's GitHub token", owner: 'alice'})]});
    expect(() => loadConfig({path: '/cfg/offboard.yaml', env: {}, providers: [mattermostProvider, githubProvider],
      readFile: (p) => (p.endsWith('.pem') ? '' : files[p] ?? '')})).toThrow(/providers\.github\.app\.private_key_file: cannot read/);
  });
});
