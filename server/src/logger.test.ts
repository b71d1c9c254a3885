// The logger writes JSON lines, filters by level and never writes a secret-named field, however deep it sits.
import {describe, expect, it} from '@jest/globals';
import {Writable} from 'node:stream';
import {ConfigError} from './engine/errors.js';
import {createLogger, silentLogger} from './logger.js';

/** A destination that keeps every line written to it. */
function capture(): {stream: Writable; lines: () => Record<string, unknown>[]; text: () => string} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {stream, lines, text};
}

describe('createLogger', () => {
  it('redacts tokens, passwords and auth headers at any depth used in the service', () => {
    const out = capture();
    const log = createLogger({level: 'info', destination: out.stream});
    log.info(
      {
        token: 'top-token-1',
        password: 'top-password-2',
        request: {headers: {authorization: 'Bearer header-token-3', accept: 'json'}},
        config: {mattermost: {bot_token: 'bot-token-4', url: 'https://chat.example.com'}},
        err: {config: {headers: {Authorization: 'token header-token-5'}}},
        service: {action_secret: 'action-secret-6'},
        provider: {oauth: {client_secret: 'client-secret-7', private_key: 'private-key-8'}},
      },
      'calling vendor',
    );
    const text = out.text();
    for (let i = 1; i <= 8; i++) expect(text).not.toMatch(new RegExp(`-${i}\\b`));
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 'info',
      msg: 'calling vendor',
      token: '[redacted]',
      password: '[redacted]',
      request: {headers: {authorization: '[redacted]', accept: 'json'}},
      config: {mattermost: {bot_token: '[redacted]', url: 'https://chat.example.com'}},
    });
  });

  it('redacts in child bindings too', () => {
    const out = capture();
    createLogger({level: 'info', destination: out.stream})
      .child({provider: 'github', auth: {token: 'child-token-value'}})
      .warn('rate limited');
    expect(out.text()).not.toContain('child-token-value');
    expect(out.lines()[0]).toMatchObject({provider: 'github', auth: {token: '[redacted]'}, level: 'warn'});
  });

  it('filters by level and lets the debug flag force debug', () => {
    const quiet = capture();
    const log = createLogger({level: 'warn', destination: quiet.stream});
    log.info('dropped');
    log.error({step: 's1'}, 'kept');
    expect(quiet.lines().map((l) => l['msg'])).toEqual(['kept']);

    const loud = capture();
    createLogger({level: 'error', debug: true, destination: loud.stream}).debug('shown');
    expect(loud.lines().map((l) => [l['level'], l['msg']])).toEqual([['debug', 'shown']]);
  });

  it('rejects an unknown level', () => {
    expect(() => createLogger({level: 'verbose'})).toThrow(ConfigError);
  });
});

describe('silentLogger', () => {
  it('accepts every call, children included', () => {
    const log = silentLogger();
    expect(() => log.child({a: 1}).error({err: new Error('x')}, 'ignored')).not.toThrow();
    expect(log.child({})).toBe(log);
  });
});
