import {
  cardDoc,
  counted,
  ledgerDoc,
  monitoredUri,
  nudgeDoc,
  visitDoc,
  type Counted,
} from './support/commandCounts.js';
import { TEAM_A } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * What the database is asked per nudge posted, counted with the driver's command monitoring on the app's own
 * connection: a scan posting 20 nudges of a kind costs no more per nudge than one posting 1, and an ambassador's
 * contact nudge asks no more than a follow-up does beyond the visit it shows. The
 * nudges are written straight into the database, each for a card of its own, and posted by the app's scan.
 */
const h = useHarness(() => ({ now: '2026-11-23T10:00:00+08:00', mongoUri: monitoredUri(process.env.MONGODB_URI!) }));

const { teamId, userId } = TEAM_A;

/** `n` cards each with one nudge of `kind` due on `day`, and what that kind reads as it posts. */
async function seed(kind: string, n: number, day: string) {
  const cards = Array.from({ length: n }, () =>
    cardDoc(teamId, userId, kind === 'ambassador' ? { ambassador: true, lastContactDate: '2026-10-01' } : {}),
  );
  await h.db.collection('customers').insertMany(cards);
  if (kind === 'overdue') {
    const ledgers = cards.map((c) => ledgerDoc(c, '2026-11-01'));
    await h.db.collection('ledgers').insertMany(ledgers);
    await h.db
      .collection('nudges')
      .insertMany(ledgers.map((l, i) => nudgeDoc(cards[i]!, kind, day, { sourceId: l.receivables[0]!._id })));
    return;
  }
  if (kind === 'ambassador')
    await h.db.collection('visits').insertMany(cards.map((c) => visitDoc(c, '2026-10-01', { notes: '聊了新品' })));
  await h.db.collection('nudges').insertMany(cards.map((c) => nudgeDoc(c, kind, day, { plan: '回访' })));
}

interface PerNudge {
  one: Counted;
  twenty: Counted;
}

/** Each kind's two scans, on days of its own: one nudge due, then twenty. */
const DAYS = {
  followUp: ['2026-11-24', '2026-11-25'],
  checkIn: ['2026-11-26', '2026-11-27'],
  overdue: ['2026-11-28', '2026-11-29'],
  ambassador: ['2026-11-30', '2026-12-01'],
} as const;
type Kind = keyof typeof DAYS;
const KINDS = Object.keys(DAYS) as Kind[];

const measured = {} as Record<Kind, PerNudge>;

async function scanCounted(day: string, expected: number): Promise<Counted> {
  h.clock.set(`${day}T09:00:00+08:00`);
  let sent = 0;
  const scan = await counted(h, async () => {
    sent = (await h.scanOnEveryInstance())[0]!.sent;
  });
  expect(sent).toBe(expected);
  return scan;
}

/** What one more nudge due adds to a scan: the 20-nudge scan's commands past the 1-nudge scan's, per nudge. */
const marginal = (kind: Kind, which: (s: Counted['sent'][number]) => boolean) =>
  (measured[kind].twenty.sent.filter(which).length - measured[kind].one.sent.filter(which).length) / 19;
/** Reads of what a nudge is about: the scan's own (teams, its left-over events and intents, Homes) are each scan's. */
const reads = (kind: Kind) =>
  marginal(kind, (s) => s.name === 'find' && ['nudges', 'customers', 'visits', 'ledgers'].includes(s.collection));
const writes = (kind: Kind) => marginal(kind, (s) => s.name !== 'find');

const perNudge = (c: Counted, n: number) => c.sent.length / n;

describe('posting a nudge costs the same queries whatever else is due', () => {
  beforeAll(async () => {
    // The team's first request makes it one the scan serves; a first scan reads and keeps what is read once.
    await h.command('help');
    await h.scanAt('2026-11-23T10:00:00+08:00');
    for (const kind of KINDS) {
      const [first, second] = DAYS[kind];
      await seed(kind, 1, first);
      await seed(kind, 20, second);
      measured[kind] = { one: await scanCounted(first, 1), twenty: await scanCounted(second, 20) };
    }
  }, 120_000);

  it.each(KINDS)('%s: no more queries per nudge for 20 due at once than for 1', (kind) => {
    const { one, twenty } = measured[kind];
    expect(perNudge(twenty, 20)).toBeLessThanOrEqual(perNudge(one, 1));
  });

  it("an ambassador's nudge reads what a follow-up reads, and only the last visit it shows beside", () => {
    expect(reads('ambassador')).toBeLessThanOrEqual(reads('followUp') + 1);
  });

  it("an ambassador's nudge writes no more than a follow-up: its next month is scheduled with the batch's", () => {
    expect(writes('ambassador')).toBeLessThanOrEqual(writes('followUp'));
  });
});
