// The fake clock fires sleeps in time order, lets woken code run before the next one, and honours aborts.
import {describe, expect, it} from '@jest/globals';
import {FakeClock} from './fake_clock.js';

describe('FakeClock', () => {
  it('resolves sleeps in order as time advances, including sleeps started by woken code', async () => {
    const clock = new FakeClock(0);
    const log: string[] = [];
    void clock.sleep(300).then(() => log.push(`c@${clock.now()}`));
    void clock.sleep(100).then(async () => {
      log.push(`a@${clock.now()}`);
      await clock.sleep(100);
      log.push(`b@${clock.now()}`);
    });
    await clock.advance(250);
    expect(log).toEqual(['a@100', 'b@200']);
    expect(clock.now()).toBe(250);
    await clock.advance(50);
    expect(log).toEqual(['a@100', 'b@200', 'c@300']);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('rejects aborted sleeps and forgets them', async () => {
    const clock = new FakeClock(0);
    const abort = new AbortController();
    const sleeping = clock.sleep(1000, abort.signal);
    abort.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingSleeps()).toBe(0);
    await expect(clock.sleep(1, abort.signal)).rejects.toThrow('stop');
  });
});
