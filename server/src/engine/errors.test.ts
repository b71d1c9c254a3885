// The error family: codes are literals, retry hints survive, messages are single-line and bounded.
import {describe, expect, it} from '@jest/globals';
import {ConfigError, errorMessage, isTransient, PermanentError, TransientError} from './errors.js';

describe('OffboardError family', () => {
  it('carries a literal code per class', () => {
    expect(new TransientError('x', {retryAfterMs: 1500}).code).toBe('transient');
    expect(new PermanentError('x').code).toBe('permanent');
    expect(new ConfigError('x').code).toBe('config');
  });

  it('keeps the retry hint and the cause', () => {
    const cause = new Error('socket hang up');
    const e = new TransientError('GET /users failed', {retryAfterMs: 2000, cause});
    expect(isTransient(e)).toBe(true);
    expect(e.retryAfterMs).toBe(2000);
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('TransientError');
  });

  it('flattens and bounds messages', () => {
    expect(errorMessage(new Error('a\n  b'))).toBe('a b');
    expect(errorMessage('x'.repeat(2000))).toHaveLength(500);
    expect(errorMessage('')).toBe('unknown error');
  });
});
