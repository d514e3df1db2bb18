import { ObjectId } from 'mongodb';
import { domain } from '../src/config/domain.js';
import {
  cardDoc,
  counted,
  ledgerDoc,
  monitoredUri,
  nudgeDoc,
  shape,
  visitDoc,
  type Counted,
} from './support/commandCounts.js';
import { TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * What the database is asked for a list, counted with the driver's command monitoring on the app's own connection:
 * the same queries for 200 rows as for 10, and no more documents than the list shows. The rows are written straight
 * into the database (200 cards through the modal would take minutes); the lists are asked through the front door.
 */
const h = useHarness(() => ({ now: '2026-11-23T10:00:00+08:00', mongoUri: monitoredUri(process.env.MONGODB_URI!) }));

const { teamId, userId } = TEAM_A;

/** `n` rows of each list: ambassadors (each also the seller's due contact, owing money and a referrer), pooled cards. */
async function seedLists(n: number) {
  const ambassadors = Array.from({ length: n }, () =>
    cardDoc(teamId, userId, { ambassador: true, lastContactDate: '2026-11-01', region: '东区' }),
  );
  const pooled = Array.from({ length: n }, (_, i) => {
    const { ownerId: _owner, ...card } = cardDoc(teamId, userId, { previousOwnerId: userId });
    return { ...card, pooledAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)) };
  });
  const referred = Array.from({ length: n }, () => cardDoc(teamId, userId));
  await h.db.collection('customers').insertMany([...ambassadors, ...pooled, ...referred]);
  await h.db
    .collection('nudges')
    .insertMany(
      ambassadors.flatMap((c) => [nudgeDoc(c, 'ambassador', '2026-11-24'), nudgeDoc(c, 'followUp', '2026-11-24')]),
    );
  // Two visits each: the plan shows the newer one's needs.
  await h.db
    .collection('visits')
    .insertMany(
      ambassadors.flatMap((c) =>
        ['2026-10-01', '2026-11-01'].map((date) => visitDoc(c, date, { needs: `要样品 ${date}` })),
      ),
    );
  await h.db
    .collection('ledgers')
    .insertMany(ambassadors.map((c, i) => ledgerDoc(c, `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`)));
  await h.db.collection('referrals').insertMany(
    ambassadors.map((c, i) => ({
      _id: new ObjectId(),
      teamId,
      referrerId: c._id,
      referredId: referred[i]!._id,
      date: '2026-11-20',
      recordedBy: userId,
      status: 'open',
      awaitingThanks: false,
      version: 1,
      createdAt: c.createdAt,
      updatedAt: c.createdAt,
    })),
  );
}

const LISTS = ['ambassadors', 'pool', 'overdue', 'referrals', 'plan'] as const;
type Measured = Record<(typeof LISTS)[number], Counted>;

async function measureLists(): Promise<Measured> {
  const measured = {} as Measured;
  for (const list of LISTS) {
    // Asked once first: what is read once and kept (the team's settings) is not the list's cost.
    await h.command(list);
    measured[list] = await counted(h, () => h.command(list));
  }
  return measured;
}

/** The documents a list reads at most, whatever the team holds: the rows it shows and the cards or counts beside them. */
const BOUNDED = {
  pool: domain.pool.listed + 1,
  overdue: 2 * domain.money.overdueListed,
  referrals: 2 * 3 * (domain.referral.listed + 1),
} as const;

describe('lists cost the same queries whatever their length', () => {
  let small: Measured;
  let large: Measured;

  beforeAll(async () => {
    await seedLists(10);
    small = await measureLists();
    await seedLists(190);
    large = await measureLists();
  }, 120_000);

  it('the 200 rows are there, and the lists show the right ones', async () => {
    expect(visibleText((await h.command('ambassadors')).args.blocks)).toContain('200 位');
    expect(visibleText((await h.command('pool')).args.blocks)).toContain('200');
    // The earliest overdue of the 200 ledgers, though only 20 are read.
    const overdue = visibleText((await h.command('overdue')).args.blocks);
    expect(overdue).toContain('2026-10-01');
    expect(overdue).not.toContain('2026-10-28');
    // Each customer's newer visit, though their visits are read at once.
    const plan = visibleText((await h.command('plan')).args.blocks);
    expect(plan).toContain('要样品 2026-11-01');
    expect(plan).not.toContain('要样品 2026-10-01');
  });

  it.each(LISTS)('/card %s: as many queries for 200 rows as for 10', (list) => {
    expect(shape(large[list])).toEqual(shape(small[list]));
  });

  it("/card ambassadors: no query names every ambassador's id (only the listed rows' referral counts do)", () => {
    const largest = (m: Measured) => Math.max(...m.ambassadors.sent.map((s) => s.size));
    const listedIds = (domain.ambassador.listed - 10) * JSON.stringify({ $oid: new ObjectId() }).length;
    expect(largest(large)).toBeLessThanOrEqual(largest(small) + listedIds);
  });

  it.each(Object.entries(BOUNDED))('/card %s reads at most %i documents, whatever the team holds', (list, most) => {
    expect(large[list as keyof typeof BOUNDED].returned).toBeLessThanOrEqual(most);
  });
});
