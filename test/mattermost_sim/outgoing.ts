// The server's outgoing integration requests (slash commands, dialogs, post actions) over node:http, so the
// headers are exactly the ones Mattermost sends and nothing a fetch implementation adds on its own.

import http from 'node:http';
import https from 'node:https';
import {gunzipSync} from 'node:zlib';

// The User-Agent of Mattermost's httpservice transport.
const USER_AGENT = 'Mattermost-Bot/1.1';
// app.MaxIntegrationResponseSize: longer bodies are cut off.
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface OutgoingRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface OutgoingResponse {
  readonly status: number;
  /** Like Go's resp.Status, e.g. "500 Internal Server Error". */
  readonly statusLine: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export class OutgoingError extends Error {
  constructor(message: string, readonly timedOut: boolean) {
    super(message);
    this.name = 'OutgoingError';
  }
}

export function sendOutgoing(req: OutgoingRequest): Promise<OutgoingResponse> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(req.url);
    } catch {
      reject(new OutgoingError(`invalid URL ${req.url}`, false));
      return;
    }
    const transport = target.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {'User-Agent': USER_AGENT, 'Accept-Encoding': 'gzip', ...req.headers};
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const outgoing = transport.request(target, {method: req.method, headers, agent: false}, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        let body = Buffer.concat(chunks);
        if (res.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const status = res.statusCode ?? 0;
        resolve({status, statusLine: `${status} ${res.statusMessage ?? ''}`.trim(), contentType: res.headers['content-type'] ?? '', body});
      });
      res.on('error', (e) => reject(new OutgoingError(e.message, false)));
    });
    const timer = setTimeout(() => outgoing.destroy(new OutgoingError(`request timed out after ${req.timeoutMs} ms`, true)), req.timeoutMs);
    outgoing.on('error', (e) => {
      clearTimeout(timer);
      reject(e instanceof OutgoingError ? e : new OutgoingError(e.message, false));
    });
    if (req.body !== undefined) outgoing.write(req.body);
    outgoing.end();
  });
}

export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
