import { ObjectId } from 'mongodb';
import { collectionsOf, TEAM_A } from './support/harness.js';
import { createCard, recordSale } from './support/flows.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00' }, { checkPayloads: false });

const { customers, nudges } = collectionsOf(h);

describe('reminders an earlier release stored no nudge for', () => {
  it('an ambassador marked before the monthly nudges existed gets one at boot, once, from its last contact', async () => {
    const card = await createCard(h, TEAM_A, { name: '老大使' });
    // As an earlier release left it: ticked, with no contact nudge, and the boot step not yet run.
    await customers().updateOne(
      { _id: new ObjectId(card.id) },
      { $set: { ambassador: true, lastContactDate: '2026-11-10' } },
    );
    await h.db.collection('bootSteps').deleteMany({});

    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    const open = await nudges()
      .find({ customerId: new ObjectId(card.id), kind: 'ambassador', status: 'pending' })
      .toArray();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ dueDate: '2026-12-10', ownerId: 'U1SELLER' });
    expect(await h.db.collection('bootSteps').countDocuments({ _id: 'ambassador' } as never)).toBe(1);
  });

  it("a ledger opened before ledgers named their card's owner is given it at boot, once; a pooled card's stays unnamed", async () => {
    const owned = await createCard(h, TEAM_A, { name: '老欠款' });
    const pooled = await createCard(h, TEAM_A, { name: '公海欠款' });
    for (const name of ['老欠款', '公海欠款'])
      await recordSale(h, TEAM_A, name, {
        amountFen: '900',
        paidInFull: false,
        date: '2026-10-01',
        dueDate: '2026-10-15',
      });
    // As an earlier release left them: ledgers without an owner; one card since released to the pool.
    const ledgers = h.db.collection('ledgers');
    await ledgers.updateMany({ teamId: TEAM_A.teamId }, { $unset: { ownerId: '' } });
    await customers().updateOne(
      { _id: new ObjectId(pooled.id) },
      { $set: { pooledAt: new Date('2026-11-20T01:00:00Z'), previousOwnerId: TEAM_A.userId }, $unset: { ownerId: '' } },
    );
    await h.db.collection('bootSteps').deleteMany({});

    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    expect(await ledgers.findOne({ _id: new ObjectId(owned.id) })).toMatchObject({ ownerId: TEAM_A.userId });
    expect((await ledgers.findOne({ _id: new ObjectId(pooled.id) }))?.ownerId).toBeUndefined();
    expect(await h.db.collection('bootSteps').countDocuments({ _id: 'overdue' } as never)).toBe(1);
  });
});
