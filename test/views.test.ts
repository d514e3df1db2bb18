import { Types } from 'mongoose';
import { messagesFor } from '../src/i18n/index.js';
import type { CustomerRecord } from '../src/models/customer.js';
import type { HistoryRecord } from '../src/models/history.js';
import type { VisitRecord } from '../src/models/visit.js';
import { renderCard } from '../src/views/card.js';
import { renderCardModal } from '../src/views/cardModal.js';
import { renderHistoryModal } from '../src/views/historyModal.js';
import { renderMatches } from '../src/views/lookup.js';
import { renderPoolList } from '../src/views/pool.js';
import { renderVisitModal } from '../src/views/visitModal.js';
import { validateMessage, validateModal } from './support/blockKit.js';
import { domain } from '../src/config/domain.js';
import type { ReferralRecord } from '../src/models/referral.js';
import type { CardReferrals } from '../src/services/referrals.js';
import { renderReferralList } from '../src/views/referralList.js';
import { renderNoDealModal, renderReferralModal, renderThanksModal } from '../src/views/referralModals.js';
import { renderReferralNudge, renderThanksNudge } from '../src/views/referralNudge.js';

/** Views are pure: these check them at the edges of Block Kit's limits, without Slack or a database. */
const long = (n: number) => '长'.repeat(n);

const customer = {
  _id: new Types.ObjectId(),
  teamId: 'T1',
  number: 'KH-2026-0001',
  year: 2026,
  name: long(100),
  nameKey: long(100),
  company: long(100),
  title: long(50),
  phone: '138 0013 8000',
  address: long(200),
  region: long(50),
  preferences: long(1000),
  creditRating: 'high',
  creditLimitFen: 99_999_999_999_99,
  paymentTerms: long(200),
  paymentMethod: long(100),
  ambassador: true,
  ownerId: 'U1',
  version: 3,
  createdBy: 'U1',
  updatedBy: 'U1',
  createdAt: new Date(),
  updatedAt: new Date(),
} as unknown as CustomerRecord;

const visit = (i: number): VisitRecord => ({
  _id: new Types.ObjectId(),
  teamId: 'T1',
  customerId: customer._id,
  date: `2026-11-${String(10 + i).padStart(2, '0')}`,
  kind: 'visit',
  notes: long(3000),
  needs: long(1000),
  purchaseKinds: long(200),
  nextFollowUpPlan: long(500),
  createdBy: 'U1',
  createdAt: new Date(),
});

const referrer = { ...customer, _id: new Types.ObjectId(), number: 'KH-2026-0002' };
const referral = (status: 'open' | 'deal' | 'noDeal') =>
  ({
    _id: new Types.ObjectId(),
    teamId: 'T1',
    referrerId: referrer._id,
    referredId: customer._id,
    date: '2026-11-20',
    needs: long(1000),
    notes: long(1000),
    recordedBy: 'U1',
    status,
    noDealReason: long(300),
    awaitingThanks: status !== 'open',
    firstContactMinutes: 99_999,
    version: 1,
  }) as unknown as ReferralRecord;
/** A card that referred many and was referred itself, with every referral row the card shows. */
const referrals: CardReferrals = {
  referredBy: { referral: referral('open'), referrer },
  asReferrer: {
    count: 999_999,
    deals: 999_999,
    valueFen: 99_999_999_999_99,
    moreAwaiting: 999,
    awaiting: Array.from({ length: domain.referral.shownOnCard }, () => ({
      referral: referral('noDeal'),
      referred: customer,
    })),
    suggestAmbassador: true,
  },
};

describe.each(['zh', 'en'] as const)('views in %s stay within Block Kit limits', (locale) => {
  const t = messagesFor(locale);

  it('a card with every field at its longest', () => {
    const card = renderCard(t, {
      customer,
      lastVisits: [visit(1), visit(2), visit(3)],
      openPromises: Array.from(
        { length: 5 },
        (_, i) => ({ _id: new Types.ObjectId(), text: long(300), dueDate: `2026-12-0${i + 1}` }) as never,
      ),
      nextFollowUp: {
        dueDate: '2026-12-01',
        plan: long(500),
        status: 'failed',
        lastError: 'channel_not_found',
      } as never,
      referrals,
      money: {
        outstandingFen: 99_999_999_999_99,
        overdueFen: 99_999_999_999_99,
        oldestOverdueDays: 9999,
        yearSalesFen: 99_999_999_999_99,
        yearProfitFen: 99_999_999_999_99,
        lastSale: { product: long(100), quantity: 1_000_000_000, date: '2026-11-01' },
        creditLimitFen: 99_999_999_999_99,
        headroomFen: -99_999_999_999_99,
        receivables: [],
      },
      today: '2026-12-03',
    });
    expect(validateMessage(card)).toEqual([]);
    expect(card.text.length).toBeLessThanOrEqual(4000);
  });

  it('the referral views at their longest', () => {
    const facts = { referral: referral('noDeal'), referrer, referred: customer };
    const listed = Array.from({ length: domain.referral.listed }, () => facts);
    expect(validateMessage(renderReferralList(t, { open: listed, awaiting: listed, more: true }))).toEqual([]);
    expect(
      validateMessage(
        renderReferralNudge(t, facts, { _id: new Types.ObjectId(), ownerId: 'U1', version: 2, round: 2 }),
      ),
    ).toEqual([]);
    expect(
      validateMessage(renderThanksNudge(t, facts, { _id: new Types.ObjectId(), ownerId: 'U1', version: 2 })),
    ).toEqual([]);
    expect(
      validateModal(
        renderReferralModal(t, customer, {
          referrerId: customer._id.toString(),
          responseUrl: `https://hooks.slack.com/${'x'.repeat(200)}`,
        }),
      ),
    ).toEqual([]);
    expect(validateModal(renderThanksModal(t, facts, { referralId: facts.referral._id.toString() }))).toEqual([]);
    expect(validateModal(renderNoDealModal(t, facts, { referralId: facts.referral._id.toString() }))).toEqual([]);
  });

  it('the edit modal filled to every maximum', () => {
    const view = renderCardModal(t, {
      number: customer.number,
      values: { ...customer, referrerId: referrer._id.toString(), referrer: long(100) },
      referrer,
      metadata: {
        customerId: customer._id.toString(),
        version: 3,
        responseUrl: `https://hooks.slack.com/${'x'.repeat(200)}`,
      },
    });
    expect(validateModal(view)).toEqual([]);
  });

  it('the visit modal', () => {
    expect(validateModal(renderVisitModal(t, customer, '2026-11-23', { customerId: customer._id.toString() }))).toEqual(
      [],
    );
  });

  it('a history of long changes and visits', () => {
    const entries: HistoryRecord[] = Array.from({ length: 15 }, () => ({
      _id: new Types.ObjectId(),
      teamId: 'T1',
      customerId: customer._id,
      action: 'updated',
      userId: 'U1',
      at: new Date(),
      changes: ['background', 'family', 'preferences', 'tradeActivity', 'problems', 'competitors'].map((field) => ({
        field,
        from: long(1000),
        to: long(1000),
      })),
    }));
    const view = renderHistoryModal(
      t,
      customer,
      { entries, visits: Array.from({ length: 10 }, (_, i) => visit(i)) },
      'Asia/Shanghai',
    );
    expect(validateModal(view)).toEqual([]);
  });

  it('a full list of same-name matches', () => {
    const matches = Array.from({ length: 10 }, () => ({ ...customer, _id: new Types.ObjectId() }));
    expect(validateMessage(renderMatches(t, long(64), matches, true))).toEqual([]);
  });
});

it('the validator itself refuses what Slack refuses', () => {
  expect(validateModal({ type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [] })).toEqual([
    'title: text longer than 24 (25)',
  ]);
  expect(validateMessage({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toEqual([
    '51 blocks; a message holds at most 50',
  ]);
  expect(
    validateMessage({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }),
  ).toEqual(['blocks[0].text: text longer than 3000 (3001)']);
});

describe('the pool list (公海)', () => {
  const pooled = (i: number) => ({
    _id: new Types.ObjectId(),
    name: `客户${i}`,
    number: `KH-2026-${String(i).padStart(4, '0')}`,
    pooledAt: new Date('2026-12-01T01:00:00Z'),
    previousOwnerId: 'U1',
  });

  it('counts every pooled card in its title and says how many it lists, within Block Kit', () => {
    const rows = Array.from({ length: domain.pool.listed }, (_, i) => pooled(i));
    const view = renderPoolList(messagesFor('zh'), { rows, total: 57 }, 'Asia/Shanghai');
    expect(view.text).toContain('57 张客户卡等待认领');
    expect(JSON.stringify(view.blocks)).toContain(`只列出最早的 ${domain.pool.listed} 张`);
    expect(validateMessage(view)).toEqual([]);
  });

  it('lists a small pool whole, without the footer', () => {
    const view = renderPoolList(messagesFor('en'), { rows: [pooled(1)], total: 1 }, 'Asia/Shanghai');
    expect(view.blocks.filter((b) => b.type === 'context')).toEqual([]);
  });
});
