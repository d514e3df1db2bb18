import fc from 'fast-check';
import { ObjectId } from 'mongodb';
import { KINDS } from '../src/nudgeKinds/index.js';
import { ACTION } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard, recordSale } from './support/flows.js';
import { collectionsOf, findButton, TEAM_A, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

/**
 * Whatever kind a waiting reminder is, and however its card changes hands
 * (Reassign on the card, a handover of every card, a claim from the pool),
 * the reminder goes with the card: none is left with the previous owner.
 * The kinds come from the registry, so a kind added later is covered too.
 */

const T = TEAM_A.teamId;
const SELLER = TEAM_A;
const MANAGER: Actor = { teamId: T, userId: 'U7MANAGER' };
const h = useHarness({ now: '2026-11-23T10:00:00+08:00', env: { MANAGER_USER_ID: MANAGER.userId } });
const { customers, nudges } = collectionsOf(h);

const CUSTOMER_KINDS = KINDS.filter((k) => k.about === 'customer').map((k) => k.name);
const CHANGES = ['reassign', 'handover', 'claim'] as const;
type Change = (typeof CHANGES)[number];

let seq = 0;

/**
 * A card of SELLER's with a reminder of `kind` waiting for SELLER, as `status` leaves it (a failed one is still
 * waiting).
 */
async function cardWaiting(kind: string, status: 'pending' | 'failed') {
  const name = `换手${++seq}`;
  const card = await createCard(h, SELLER, { name });
  const customerId = new ObjectId(card.id);
  const nudgeId = new ObjectId();
  await nudges().insertOne({
    _id: nudgeId,
    teamId: T,
    kind,
    customerId,
    sourceId: new ObjectId(),
    ownerId: SELLER.userId,
    dueDate: '2027-06-01',
    status,
    version: 1,
    nextAttemptAt: new Date('2027-06-01T01:00:00Z'),
    attempts: status === 'failed' ? 3 : 0,
    claims: 0,
    createdBy: SELLER.userId,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  return { card, customerId, nudgeId, name };
}

/** The card changes hands as people do it, through Slack; resolves with the new owner. */
async function changeHands(how: Change, card: Awaited<ReturnType<typeof cardWaiting>>): Promise<string> {
  const to = `U${how.toUpperCase()}${seq}`;
  if (how === 'reassign') {
    const shown = await h.command(card.card.number, SELLER);
    const { view } = await h.openModal(SELLER, findButton(shown.args.blocks, ACTION.reassign));
    expect((await h.submitView(SELLER, view, { to, reason: '换人跟进' })).body).toBe('');
  } else if (how === 'handover') {
    // Every card of SELLER goes: the earlier ones' reminders have moved already, so they change nothing here.
    const preview = await h.command(`handover <@${SELLER.userId}> <@${to}>`, MANAGER);
    await h.clickButton(MANAGER, findButton(preview.args.blocks, ACTION.handoverConfirm), {
      responseUrl: preview.responseUrl,
    });
    await h.fake.waitFor(
      'response_url',
      (c) => c.responseUrl === preview.responseUrl && visibleText(c.args.blocks).includes('已完成'),
    );
    // The manager's own cards stay; the next case starts again from SELLER.
  } else {
    // Released to the pool while the reminder waited for SELLER; someone claims it.
    await customers().updateOne(
      { _id: card.customerId },
      { $set: { pooledAt: new Date('2026-11-20T01:00:00Z'), previousOwnerId: SELLER.userId }, $unset: { ownerId: '' } },
    );
    const list = await h.command('公海', { teamId: T, userId: to });
    const claim = list.args.blocks
      .flatMap((b: Record<string, any>) => b.elements ?? [])
      .find((e: Record<string, any>) => e.action_id === ACTION.poolClaim && e.value === card.card.id);
    await h.clickButton({ teamId: T, userId: to }, claim, { responseUrl: list.responseUrl });
    await h.fake.waitFor(
      'response_url',
      (c) => c.responseUrl === list.responseUrl && c.args.replace_original !== undefined,
    );
  }
  expect((await customers().findOne({ _id: card.customerId }))?.ownerId).toBe(to);
  return to;
}

describe('a card changing hands', () => {
  it('takes every waiting reminder of every kind with it, whichever way it changes hands', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CUSTOMER_KINDS),
        fc.constantFrom(...CHANGES),
        fc.constantFrom('pending' as const, 'failed' as const),
        async (kind, how, status) => {
          const card = await cardWaiting(kind, status);
          const to = await changeHands(how, card);
          const left = await nudges().countDocuments({
            customerId: card.customerId,
            ownerId: SELLER.userId,
            status: { $in: ['pending', 'failed'] },
          });
          expect({ kind, how, status, left }).toEqual({ kind, how, status, left: 0 });
          // The seeded reminder itself went to the new owner, unless its kind closed it for the new situation (a
          // cadence the card no longer has).
          const seeded = await nudges().findOne({ _id: card.nudgeId });
          if (['pending', 'failed'].includes(seeded!.status as string)) expect(seeded!.ownerId).toBe(to);
        },
      ),
      // Ten kinds × three changes × two states: enough runs to meet most of the sixty, each a few requests.
      { numRuns: 40 },
    );
  }, 600_000);
});

describe("a card's overdue money changing hands", () => {
  /** The customers on someone's Home list of overdue money. */
  const overdueOnHome = async (userId: string) =>
    ((await h.openHome({ teamId: T, userId })).blocks as Record<string, any>[])
      .filter((b) => /^home_overdue_\d+$/.test(b.block_id ?? ''))
      .map((b) => visibleText([b]));

  it("is on the new owner's Home and off the previous owner's, whichever way the card changes hands", async () => {
    for (const how of CHANGES) {
      const card = await cardWaiting('followUp', 'pending');
      await recordSale(h, SELLER, card.name, {
        product: '空调',
        amountFen: '5000',
        paidInFull: false,
        date: '2026-10-01',
        dueDate: '2026-10-15',
      });
      await eventually(async () =>
        expect(await overdueOnHome(SELLER.userId)).toContainEqual(expect.stringContaining(card.name)),
      );
      const to = await changeHands(how, card);
      await eventually(async () =>
        expect({ how, listed: await overdueOnHome(to) }).toEqual({
          how,
          listed: [expect.stringContaining(card.name)],
        }),
      );
      expect(await overdueOnHome(SELLER.userId)).not.toContainEqual(expect.stringContaining(card.name));
    }
  }, 120_000);
});
