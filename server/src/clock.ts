// The real clock behind the engine's Clock port; sleeps are abortable so shutdown is prompt.
import {setTimeout as delay} from 'node:timers/promises';
import type {Clock} from './engine/types.js';

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    try {
      await delay(Math.max(0, ms), undefined, signal ? {signal} : undefined);
    } catch (e) {
      if (!signal?.aborted) throw e;
    }
  },
};
