// Helpers for the simulator's own tests: a seeded simulator per suite, a tiny REST caller and a tar.gz builder for
// plugin bundles.

import {createServer} from 'node:http';
import type {IncomingHttpHeaders, Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll} from '@jest/globals';
import {seedWorkspace, type SeededWorkspace} from './seed.js';
import {startMattermostSim, type MattermostSim} from './sim.js';

/** A simulator seeded with the standard workspace for the whole suite (beforeAll), closed after it (afterAll). */
export function useSeededSim(ready: (sim: MattermostSim, seed: SeededWorkspace) => void): void {
  let sim: MattermostSim | undefined;
  beforeAll(async () => {
    sim = await startMattermostSim();
    ready(sim, seedWorkspace(sim));
  });
  afterAll(async () => {
    await sim?.close();
  });
}

export interface ApiResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  readonly body: any;
}

export async function call(sim: MattermostSim, token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult> {
  const init: RequestInit = {method, headers: {...headers}};
  if (token !== undefined) (init.headers as Record<string, string>)['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) {
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${sim.url}/api/v4${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return {status: res.status, headers: res.headers, text, body: parsed};
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Integration {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** What the next requests get back. */
  reply: {status: number; contentType: string; body: string; delayMs?: number};
  close(): Promise<void>;
}

/** A local stand-in for the offboarding service that records what Mattermost sends it. */
export async function startIntegration(): Promise<Integration> {
  const requests: RecordedRequest[] = [];
  const state: Integration = {url: '', requests, reply: {status: 200, contentType: 'application/json', body: '{}'}, close: async () => undefined};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8')});
      const {status, contentType, body, delayMs} = state.reply;
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(status, {'Content-Type': contentType});
        res.end(body);
      }, delayMs ?? 0).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}

/** A .tar.gz with the given files (ustar headers, regular files only). */
export function makeTarGz(files: Readonly<Record<string, string>>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content, 'utf8');
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 8, 'ascii');
    header.write('0000000\0', 108, 8, 'ascii');
    header.write('0000000\0', 116, 8, 'ascii');
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
    header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 12, 'ascii');
    header.write('        ', 148, 8, 'ascii');
    header.write('0', 156, 1, 'ascii');
    header.write('ustar\0', 257, 6, 'ascii');
    header.write('00', 263, 2, 'ascii');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
