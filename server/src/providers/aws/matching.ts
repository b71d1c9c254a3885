// Which IAM users of one account are the person's: an explicit mapping decides alone when the person has one;
// otherwise users tagged with their email, plus users named by a pattern ({username}, {email}, {email_local}).
// Several pattern matches in one account cannot be told apart: they are ambiguous and go to the admin.
import type {Subject} from '../../engine/types.js';
import type {AwsConfig} from './config.js';
import type {UserDetail} from './wire.js';

export type UserMatch =
  | {readonly kind: 'user'; readonly user: UserDetail; readonly source: string}
  | {readonly kind: 'ambiguous'; readonly candidates: string[]; readonly source: string}
  | {readonly kind: 'missing'; readonly userName: string; readonly source: string};

function lower(s: string | undefined): string {
  return (s ?? '').toLowerCase();
}

/** The person's mapping entry, looked up by Mattermost username or email (case-insensitive). */
export function mappingFor(config: AwsConfig, subject: Subject): Record<string, string | string[]> | undefined {
  const keys = [lower(subject.username), lower(subject.email)].filter(Boolean);
  const entry = Object.entries(config.user_mapping).find(([k]) => keys.includes(lower(k)));
  return entry?.[1];
}

export function expandPattern(pattern: string, subject: Subject): string {
  const local = subject.email.split('@')[0] ?? '';
  return pattern.replaceAll('{username}', subject.username).replaceAll('{email}', subject.email)
    .replaceAll('{email_local}', local);
}

export function matchUsers(users: readonly UserDetail[], subject: Subject, config: AwsConfig, accountId: string):
  UserMatch[] {
  const byName = new Map(users.map((u) => [lower(u.UserName), u]));
  const mapping = mappingFor(config, subject);
  if (mapping) {
    const explicit = mapping[accountId];
    const names = explicit ?? mapping['*'];
    if (names === undefined) return [];
    return (Array.isArray(names) ? names : [names]).flatMap((name): UserMatch[] => {
      const user = byName.get(lower(name));
      if (user) return [{kind: 'user', user, source: `explicit mapping (${explicit ? accountId : '*'})`}];
      // A name mapped for this very account that is not there: the admin must look; a '*' name may be absent.
      return explicit ? [{kind: 'missing', userName: name, source: `explicit mapping (${accountId}): no such user`}] : [];
    });
  }
  const tag = lower(config.user_tag);
  const email = lower(subject.email);
  const tagOf = (u: UserDetail): string | undefined =>
    tag === '' ? undefined : u.Tags?.find((t) => lower(t.Key) === tag)?.Value;
  const matches: UserMatch[] = [];
  const taken = new Set<string>();
  if (tag !== '' && email !== '') {
    for (const u of users) {
      if (lower(tagOf(u)) !== email) continue;
      matches.push({kind: 'user', user: u, source: `tag ${config.user_tag} = ${subject.email}`});
      taken.add(lower(u.UserName));
    }
  }
  const candidates = new Map<string, {user: UserDetail; pattern: string}>();
  for (const pattern of config.user_name_patterns) {
    const name = lower(expandPattern(pattern, subject));
    const user = byName.get(name);
    if (!user || taken.has(name) || candidates.has(name)) continue;
    // Tagged with someone else's email: the same name, another person.
    const owner = tagOf(user);
    if (owner !== undefined && lower(owner) !== email) continue;
    candidates.set(name, {user, pattern});
  }
  if (candidates.size === 1) {
    const [only] = [...candidates.values()];
    if (only) matches.push({kind: 'user', user: only.user, source: `name pattern ${only.pattern}`});
  } else if (candidates.size > 1) {
    matches.push({kind: 'ambiguous', candidates: [...candidates.values()].map((c) => c.user.UserName ?? '').sort(),
      source: `name patterns ${[...candidates.values()].map((c) => c.pattern).join(', ')}`});
  }
  return matches;
}
