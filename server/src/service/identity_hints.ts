// Identities an admin entered in the modal, per provider: checked against what each provider accepts (editable at
// all, how many, what an id looks like) before an inventory exists, so bad input is refused and changes nothing.
import {MAX_ENTERED_IDENTITIES, type ProviderId, type ResolveHint} from '../engine/types.js';
import {MAX_ENTERED_ID_LENGTH} from '../mattermost/rpc_schema.js';
import type {ServiceDeps} from './deps.js';
import {RequestError} from './errors.js';

const refuse = (provider: string, message: string): RequestError =>
  new RequestError('bad_request', message, {}, `identities.${provider}`);

/** Validates and normalises (trimmed, duplicates dropped regardless of case) the entered identities. */
export function parseIdentityHints(deps: ServiceDeps, given: Readonly<Record<string, readonly string[]>> | undefined):
  Map<ProviderId, ResolveHint> {
  const hints = new Map<ProviderId, ResolveHint>();
  for (const [id, raw] of Object.entries(given ?? {})) {
    const provider = deps.providers.find((p) => p.id === id);
    const name = id.slice(0, 64);
    if (!provider) throw refuse(name, `Unknown system "${name}": it is not connected to the offboarding service.`);
    const input = provider.identityInput;
    if (!input) {
      throw refuse(id, `${provider.title} identities cannot be entered: ${provider.title} finds the person from step 1.`);
    }
    const seen = new Set<string>();
    const ids: string[] = [];
    for (const value of raw.map((v) => v.trim())) {
      if (value === '') throw refuse(id, `${provider.title}: an entered ${input.label} is empty.`);
      if (value.length > MAX_ENTERED_ID_LENGTH) {
        throw refuse(id, `${provider.title}: "${value.slice(0, 40)}…" is longer than ${MAX_ENTERED_ID_LENGTH} characters.`);
      }
      if (input.pattern !== undefined && !new RegExp(input.pattern, 'u').test(value)) {
        throw refuse(id, `${provider.title}: "${value}" is not a valid ${input.label}.`);
      }
      if (!seen.has(value.toLowerCase())) {
        seen.add(value.toLowerCase());
        ids.push(value);
      }
    }
    const max = Math.min(input.maxIds ?? MAX_ENTERED_IDENTITIES, MAX_ENTERED_IDENTITIES);
    if (ids.length > max) {
      throw refuse(id, max === 1
        ? `${provider.title}: enter one ${input.label}, not ${ids.length}.`
        : `${provider.title}: enter at most ${max} ${input.label}s, not ${ids.length}.`);
    }
    if (ids.length > 0) hints.set(provider.id, {ids});
  }
  return hints;
}
