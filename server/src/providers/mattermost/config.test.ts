// The provider's YAML section: strict, with defaults, and the example `offboard configure` prints validates as is.
import {describe, expect, it} from '@jest/globals';
import {parse} from 'yaml';
import {configExample, mattermostSectionSchema, parseConnection} from './config.js';
import {mattermostProvider} from './index.js';

describe('mattermost provider config', () => {
  it('applies defaults, strips a leading @ and refuses unknown keys and values', () => {
    expect(mattermostProvider.configSchema.parse({})).toEqual({default_account_action: 'deactivate'});
    expect(mattermostSectionSchema.parse({bot_owner: '@it-admin', default_account_action: 'keep'}))
      .toEqual({bot_owner: 'it-admin', default_account_action: 'keep'});
    expect(mattermostSectionSchema.safeParse({default_account_action: 'delete'}).success).toBe(false);
    // The connection comes from the root `mattermost:` section, never from this one.
    expect(mattermostSectionSchema.safeParse({connection: {url: 'http://x', token: 't', timeoutMs: 1}}).success)
      .toBe(false);
  });

  it('ships an example that parses under providers: and validates', () => {
    const doc = parse(`providers:\n${configExample}`) as {providers: {mattermost: unknown}};
    expect(mattermostSectionSchema.parse(doc.providers.mattermost)).toEqual({default_account_action: 'deactivate'});
    const uncommented = configExample.replace('# bot_owner:', 'bot_owner:');
    expect(mattermostSectionSchema.parse((parse(`providers:\n${uncommented}`) as typeof doc).providers.mattermost))
      .toEqual({bot_owner: 'it-admin', default_account_action: 'deactivate'});
  });

  it('reads the connection the service adds, and nothing incomplete', () => {
    expect(parseConnection({connection: {url: 'http://mm', token: 'x', timeoutMs: 5000}}))
      .toEqual({url: 'http://mm', token: 'x', timeoutMs: 5000});
    expect(parseConnection({connection: {url: 'http://mm', token: '', timeoutMs: 5000}})).toBeUndefined();
    expect(parseConnection({})).toBeUndefined();
  });
});
