// Mattermost-style identifiers: 26 characters of lowercase base32 over 16 random bytes (model.NewId).

import {randomBytes} from 'node:crypto';

// The alphabet model.NewId uses (base32 with a custom encoding, no padding).
const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export function newId(): string {
  const bytes = randomBytes(16);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** model.IsValidId: exactly 26 lowercase letters or digits. */
export function isValidId(value: string): boolean {
  return /^[a-z0-9]{26}$/.test(value);
}
