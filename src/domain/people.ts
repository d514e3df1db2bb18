import { isSlackUserId } from './slackIds.js';

/** A member of the workspace as Slack lists them (users.list): what a sheet's 负责人 column may call them. */
export interface Person {
  id: string;
  /** The name shown in Slack (profile.display_name). */
  displayName?: string;
  /** The full name (profile.real_name). */
  realName?: string;
  /** The username (`name`), which older sheets often hold. */
  name?: string;
  /** Given by Slack only to apps with users:read.email. */
  email?: string;
}

/** Who a cell names: one member, several (the name is shared), or nobody the workspace knows. */
export type PersonMatch = { found: string } | { ambiguous: true } | { notFound: true };

/** A name as compared: full-width folded, case and spaces ignored (`Wang  Li`, `ｗａｎｇ ｌｉ` and `wangli` are one). */
const personKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** `<@U123>` or `<@U123|name>` as Slack writes a mention, or `@U123`: the id in it. */
const MENTION = /^<?@([UW][A-Z0-9]{1,30})(?:\|[^>]*)?>?$/;

/**
 * The workspace's members by every name a sheet may use for them: Slack id
 * (or a mention), display name, full name, username, e-mail. A name two
 * members share names neither: the import says so rather than guess.
 */
export function peopleIndex(people: readonly Person[]) {
  const ids = new Set(people.map((p) => p.id));
  const byName = new Map<string, Set<string>>();
  for (const person of people) {
    for (const name of [person.displayName, person.realName, person.name, person.email]) {
      const key = name ? personKey(name) : '';
      if (key === '') continue;
      byName.set(key, (byName.get(key) ?? new Set()).add(person.id));
    }
  }

  return {
    /** Whether the id is a member of the workspace. */
    has: (id: string) => ids.has(id),
    /** Who a cell names. */
    find(text: string): PersonMatch {
      const trimmed = text.trim();
      const id = MENTION.exec(trimmed)?.[1] ?? (isSlackUserId(trimmed) ? trimmed : undefined);
      if (id) return ids.has(id) ? { found: id } : { notFound: true };
      const matches = byName.get(personKey(trimmed));
      if (!matches) return { notFound: true };
      return matches.size === 1 ? { found: [...matches][0]! } : { ambiguous: true };
    },
  };
}

export type PeopleIndex = ReturnType<typeof peopleIndex>;
