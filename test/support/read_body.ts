// The request body of a simulator's request, with a size cap: past `maxBytes` the rest is drained but not kept and
// the read fails with `tooLarge()` (each simulator answers that in its vendor's error shape).
import type {IncomingMessage} from 'node:http';

export function readBody(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on('end', () => (size > maxBytes ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
