// Identifiers in Mattermost's own format (26 lowercase base32 characters), so run ids look at home in posts and URLs.
import {randomBytes} from 'node:crypto';

const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** A new random 26-character id (128 random bits, z-base-32 like Mattermost's NewId). */
export function newId(): string {
  const bytes = randomBytes(17);
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export const ID_PATTERN = /^[a-z0-9]{26}$/;
