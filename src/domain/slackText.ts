/**
 * A Slack message's text as a person reads it. Slack stores a message with
 * its own markup: `<@U123>` for a mention, `<#C123|sales>` for a channel,
 * `<https://x.example|label>` for a link, `<!here>` and friends, and `&`, `<`,
 * `>` escaped as entities. Saved to a card, that markup would read as noise,
 * so it is turned back into what Slack showed.
 */

/** Who and which channels a text names by id, to be looked up before it is turned into plain text. */
export interface SlackNames {
  users?: ReadonlyMap<string, string>;
  channels?: ReadonlyMap<string, string>;
}

/** One `<…>` of Slack's markup; text between them holds no `<` or `>` (Slack escapes them). */
const TOKEN = /<([^<>]*)>/g;

/** The three entities Slack escapes, undone in one pass so `&amp;lt;` stays `&lt;`. */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
const unescape = (text: string) => text.replace(/&(amp|lt|gt);/g, (_, name: string) => ENTITIES[name]!);

/** `<!here>`, `<!subteam^S1|@sales>`, `<!date^1700000000^{date}|Nov 14>`: what Slack would show for each. */
function special(target: string, label: string | undefined): string {
  const [name = ''] = target.split('^');
  if (name === 'here' || name === 'channel' || name === 'everyone') return `@${name}`;
  if (label) return label;
  return name === 'subteam' ? '@group' : `@${name}`;
}

function tokenText(inner: string, names: SlackNames): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : unescape(inner.slice(bar + 1)) || undefined;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${names.users?.get(id) ?? label ?? id}`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `#${label ?? names.channels?.get(id) ?? id}`;
  }
  if (target.startsWith('!')) return special(target.slice(1), label);
  const url = unescape(target);
  const shown = url.replace(/^mailto:/, '');
  return !label || label === shown || label === url ? (label ?? shown) : `${label} (${url})`;
}

/**
 * Slack's message markup as plain text: mentions as `@name` (from `names`,
 * else the label Slack gave, else the id), channels as `#name`, links as
 * `label (url)` (the label alone when it is the address), the entities
 * undone. Formatting marks (`*bold*`) are left as typed: they read fine.
 */
export function slackToPlain(text: string, names: SlackNames = {}): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += unescape(text.slice(last, match.index));
    out += tokenText(match[1]!, names);
    last = match.index + match[0].length;
  }
  return out + unescape(text.slice(last));
}

/** The people a text mentions and the channels it names without a label: what slackToPlain would show by id. */
export function referencedIds(text: string): { users: string[]; channels: string[] } {
  const users = new Set<string>();
  const channels = new Set<string>();
  for (const match of text.matchAll(TOKEN)) {
    const inner = match[1]!;
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const labelled = bar >= 0 && inner.length > bar + 1;
    if (target.startsWith('@')) users.add(target.slice(1));
    else if (target.startsWith('#') && !labelled) channels.add(target.slice(1));
  }
  return { users: [...users], channels: [...channels] };
}

/** A text kept within `max` UTF-16 code units (as Slack counts), never halving a surrogate pair. */
export interface CutText {
  text: string;
  /** Whether anything was left out. */
  cut: boolean;
  /** The whole text's length, to say how much there was. */
  length: number;
}

export function cutTo(text: string, max: number): CutText {
  if (text.length <= max) return { text, cut: false, length: text.length };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), cut: true, length: text.length };
}
