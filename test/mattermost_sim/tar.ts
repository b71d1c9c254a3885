// Just enough of tar to read a plugin bundle: gunzip, then walk the 512-byte headers (ustar, pax and GNU long names).

import {gunzipSync} from 'node:zlib';

const BLOCK = 512;

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function paxPath(data: Buffer): string | undefined {
  // Records look like "<len> key=value\n".
  for (const line of data.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** Regular files of a .tar.gz by path (leading "./" removed). Throws on data that is not gzip. */
export function readTarGz(bytes: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(bytes);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let pendingName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      pendingName = paxPath(data);
      continue;
    }
    if (type === 'L') {
      pendingName = field(data, 0, data.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = pendingName ?? (prefix !== '' ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    pendingName = undefined;
    if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), Buffer.from(data));
  }
  return files;
}

/**
 * The files relative to the plugin root: like the server's extractPlugin, a bundle whose root holds exactly one
 * directory is taken to contain the plugin inside that directory.
 */
export function pluginRootFiles(files: ReadonlyMap<string, Buffer>): Map<string, Buffer> {
  const tops = new Set([...files.keys()].map((p) => p.split('/')[0] ?? ''));
  const onlyTop = [...tops][0];
  if (tops.size !== 1 || onlyTop === undefined || ![...files.keys()].every((p) => p.startsWith(`${onlyTop}/`))) return new Map(files);
  return new Map([...files].map(([p, data]) => [p.slice(onlyTop.length + 1), data]));
}

/** FNV-1a 64-bit, the hash in a webapp bundle's served file name. */
export function fnv64a(data: Buffer): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of data) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16);
}
