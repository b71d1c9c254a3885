// trigger_id minting and checking as in model.GenerateTriggerId / DecodeAndVerifyTriggerId:
// base64("clientTriggerId:userId:millis:" + base64(ECDSA P-256 SHA-256 ASN.1 signature of that prefix)).

import {createPublicKey, generateKeyPairSync, sign, verify} from 'node:crypto';
import type {KeyObject} from 'node:crypto';
import {badRequest} from './errors.js';
import {newId} from './ids.js';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** What the server publishes as AsymmetricSigningPublicKey: base64 of the SPKI DER encoding. */
  readonly publicKeyBase64: string;
}

export interface MintedTriggerId {
  /** The part the client sees (CommandResponse.trigger_id, post action responses). */
  readonly clientTriggerId: string;
  /** The signed value integrations receive. */
  readonly triggerId: string;
}

export function generateSigningKey(): SigningKey {
  const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
  const der = publicKey.export({format: 'der', type: 'spki'});
  return {privateKey, publicKey, publicKeyBase64: der.toString('base64')};
}

export function mintTriggerId(key: SigningKey, userId: string, atMs: number = Date.now()): MintedTriggerId {
  const clientTriggerId = newId();
  const data = `${clientTriggerId}:${userId}:${atMs}:`;
  // node's ECDSA signatures are DER (ASN.1) encoded by default, like Go's ecdsa.PrivateKey.Sign.
  const signature = sign('sha256', Buffer.from(data), key.privateKey).toString('base64');
  return {clientTriggerId, triggerId: Buffer.from(data + signature).toString('base64')};
}

/** The server-side check before a dialog opens; returns the user the trigger id was minted for. */
export function decodeTriggerId(key: SigningKey, triggerId: string, maxAgeMs: number, nowMs: number = Date.now()): {userId: string; clientTriggerId: string} {
  const parts = Buffer.from(triggerId, 'base64').toString('utf8').split(':');
  if (parts.length !== 4) {
    throw badRequest('interactive_message.decode_trigger_id.missing_data', 'Trigger ID missing required data.');
  }
  const [clientTriggerId, userId, millis, signature] = parts as [string, string, string, string];
  const at = Number(millis);
  if (!Number.isFinite(at)) {
    throw badRequest('interactive_message.decode_trigger_id.base64_decode_failed', 'Failed to decode base64 for trigger ID.');
  }
  if (nowMs - at > maxAgeMs) {
    throw badRequest(
      'interactive_message.decode_trigger_id.expired',
      `Trigger ID for interactive dialog is expired. Trigger IDs live for a maximum of ${Math.round(maxAgeMs / 1000)}s.`,
    );
  }
  const ok = verify('sha256', Buffer.from(`${clientTriggerId}:${userId}:${millis}:`), key.publicKey, Buffer.from(signature, 'base64'));
  if (!ok) {
    throw badRequest('interactive_message.decode_trigger_id.verify_signature_failed', 'Signature verification failed for trigger ID.');
  }
  return {userId, clientTriggerId};
}

export function publicKeyFromBase64(publicKeyBase64: string): KeyObject {
  return createPublicKey({key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki'});
}
