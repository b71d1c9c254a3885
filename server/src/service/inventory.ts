// Who is this person and what can they still reach: subject resolution and asynchronous discovery per provider.
// Start returns at once (Mattermost gives a command 30 s); each provider's progress is stored as it finishes.
import {errorMessage} from '../engine/errors.js';
import type {InventoryProviderState, InventoryRecord} from '../engine/ports.js';
import type {AnyProvider, Finding, Identity, ProviderId, ResolveHint, Subject} from '../engine/types.js';
import {newId} from '../ids.js';
import {isNotFound} from '../mattermost/client.js';
import type {MattermostUser} from '../mattermost/client_types.js';
import type {ServiceDeps} from './deps.js';
import {RequestError} from './errors.js';

const USER_ID = /^[a-z0-9]{26}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const USERNAME = /^@?[a-z0-9][a-z0-9._-]{0,63}$/i;

/** Finds the person in Mattermost by user id, email or username (with or without @). */
export async function resolveSubject(deps: ServiceDeps, query: string): Promise<Subject> {
  const q = query.trim();
  let user: MattermostUser;
  try {
    if (USER_ID.test(q)) user = await deps.mm.getUser(q);
    else if (EMAIL.test(q)) user = await deps.mm.getUserByEmail(q);
    else if (USERNAME.test(q)) user = await deps.mm.getUserByUsername(q.replace(/^@/, '').toLowerCase());
    else throw new RequestError('bad_request', `"${q.slice(0, 80)}" is not a username, email or user id.`);
  } catch (e) {
    if (isNotFound(e)) throw new RequestError('not_found', `No Mattermost user matches "${q.slice(0, 80)}".`);
    throw e;
  }
  return subjectFromUser(user);
}

export function subjectFromUser(user: MattermostUser): Subject {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return {
    userId: user.id,
    username: user.username,
    email: user.email ?? '',
    displayName: name || user.nickname || user.username,
    roles: (user.roles ?? '').split(/\s+/).filter(Boolean),
    isBot: Boolean(user.is_bot),
  };
}

/** Refuses people the service must never offboard: bots (including itself) and the caller. */
export function assertOffboardable(deps: ServiceDeps, subject: Subject, callerId: string): void {
  if (subject.userId === deps.botUserId) {
    throw new RequestError('refused', 'The offboarding bot cannot offboard itself.');
  }
  if (subject.isBot) {
    throw new RequestError('refused', `@${subject.username} is a bot, not a person; manage bots from Integrations.`);
  }
  if (subject.userId === callerId) {
    throw new RequestError('refused', 'You cannot offboard yourself; ask another admin.');
  }
}

/**
 * Creates the inventory record and discovers every provider in the background. `hints` are the identities the admin
 * entered (service/identity_hints.ts): those providers resolve exactly them, the others as configured.
 */
export async function startInventory(deps: ServiceDeps, subject: Subject, initiatorId: string,
  hints: ReadonlyMap<ProviderId, ResolveHint> = new Map()): Promise<InventoryRecord> {
  const now = deps.clock.now();
  const record: InventoryRecord = {
    id: newId(),
    subject,
    initiatorId,
    createdAt: now,
    providers: deps.providers.map((p) => pendingState(p, now)),
  };
  await deps.store.saveInventory(record);
  const work = Promise.all(deps.providers.map((p) => discoverProvider(deps, record.id, p, subject, hints.get(p.id))));
  deps.background.add(work);
  void work.finally(() => deps.background.delete(work));
  return record;
}

function pendingState(p: AnyProvider, now: number): InventoryProviderState {
  return {provider: p.id, status: 'pending', identities: [], findings: [], error: null, updatedAt: now};
}

/** Resolves and discovers one provider; failures are stored per provider and never thrown. */
async function discoverProvider(deps: ServiceDeps, inventoryId: string, provider: AnyProvider, subject: Subject,
  hint: ResolveHint | undefined) {
  const log = deps.log.child({inventoryId, provider: provider.id, entered: hint?.ids.length ?? 0});
  const save = (state: Omit<InventoryProviderState, 'provider' | 'updatedAt'>) =>
    deps.store.updateInventoryProvider(inventoryId, {...state, provider: provider.id, updatedAt: deps.clock.now()});
  try {
    await save({status: 'running', identities: [], findings: [], error: null});
    const ctx = deps.contextFor(provider.id);
    const identities: Identity[] = await provider.resolve(ctx, subject, hint);
    // One identity per AWS account (or GitHub org): discover them side by side; the limiter paces the requests.
    const findings: Finding[] = (await Promise.all(identities
      .filter((identity) => identity.confidence === 'exact')
      .map((identity) => provider.discover(ctx, identity)))).flat();
    await save({status: 'done', identities, findings, error: null});
    log.info({findings: findings.length}, 'discovery finished');
  } catch (e) {
    log.warn({err: errorMessage(e)}, 'discovery failed');
    await save({status: 'failed', identities: [], findings: [], error: errorMessage(e)}).catch((err: unknown) =>
      log.error({err: errorMessage(err)}, 'could not store discovery failure'));
  }
}

export async function getInventoryOrThrow(deps: ServiceDeps, id: string): Promise<InventoryRecord> {
  const record = await deps.store.getInventory(id);
  if (!record) throw new RequestError('not_found', `Inventory ${id} does not exist.`);
  return record;
}

export function inventoryDone(record: InventoryRecord): boolean {
  return record.providers.every((p) => p.status === 'done' || p.status === 'failed');
}
