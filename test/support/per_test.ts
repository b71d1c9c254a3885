// Fixtures a test starts on demand (a simulator each) and that are closed after every test, whatever it started.
import {afterEach} from '@jest/globals';

/** Wraps `start` so each fixture it returns has its simulator closed after the test that started it (afterEach). */
export function perTestFixtures<A extends unknown[], F extends {readonly sim: {close(): Promise<void>}}>(
  start: (...args: A) => Promise<F>,
): (...args: A) => Promise<F> {
  let started: F[] = [];
  afterEach(async () => {
    const closing = started;
    started = [];
    await Promise.all(closing.map((f) => f.sim.close()));
  });
  return async (...args: A) => {
    const f = await start(...args);
    started.push(f);
    return f;
  };
}
