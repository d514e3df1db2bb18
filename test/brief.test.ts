import fc from 'fast-check';
import { ObjectId } from 'mongodb';
import { Types } from 'mongoose';
import { parseLookup } from '../src/domain/lookup.js';
import { messagesFor } from '../src/i18n/index.js';
import type { CustomerRecord } from '../src/models/customer.js';
import type { PromiseRecord } from '../src/models/promise.js';
import type { ReferralRecord } from '../src/models/referral.js';
import type { VisitRecord } from '../src/models/visit.js';
import type { Brief } from '../src/services/briefs.js';
import { ACTION } from '../src/views/ids.js';
import { renderBriefMessage, renderBriefModal } from '../src/views/brief.js';
import { validateMessage, validateModal } from './support/blockKit.js';
import { createCard, logContact, recordReferral, recordSale } from './support/flows.js';
import { findButton, mrkdwnTexts, TEAM_A, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN: Actor = { teamId: TEAM_A.teamId, userId: 'U9ADMIN' };
const h = useHarness({ now: '2026-11-23T10:00:00+08:00', env: { ADMIN_USER_IDS: ADMIN.userId, SEGMENT_HOUR: '2' } });

/** A sale of one air conditioner; paid or not as `fields` say. */
const sell = (actor: Actor, name: string, fields: Record<string, unknown>) =>
  recordSale(h, actor, name, { paidInFull: false, ...fields });

const referFrom = (actor: Actor, referrer: string, prospect: string) => recordReferral(h, actor, referrer, prospect);

/** What a salesperson must read in 张三's brief, in the order the brief gives it. */
const ZHANG_FACTS = [
  '爱喝普洱，讨厌推销电话', // preferences
  '女儿今年高考', // family
  '钓鱼', // interests
  '最近交易：空调 ×1（2026-10-01）', // last sale
  '*进货种类* 柜机', // purchase as the visit noted it
  '*库存数量* 5', // stock on hand
  '*客户需求* 想换节能款', // last visit's needs
  '*态度* 积极', // and attitude
  '• 2026-11-20 送样品到店 · ⚠️ 已逾期', // open promise, overdue
  '*未收款* ¥1,500.00',
  '逾期 ¥1,500.00（最久 23 天）',
  '⚠️ 信用额度 ¥1,000.00，超出额度 ¥500.00',
  '⚠️ 信用额度已用完',
  '• 李四（', // referral awaiting thanks…
  '还没有致谢推荐人',
  '顶级客户 · A类', // tier set by the admin's refresh
];

function expectInOrder(text: string, facts: string[]): void {
  let from = 0;
  for (const fact of facts) {
    const at = text.indexOf(fact, from);
    expect({ fact, found: at >= 0 }).toEqual({ fact, found: true });
    from = at + fact.length;
  }
}

describe('a card with everything filled', () => {
  let zhangId: string;

  beforeAll(async () => {
    const zhang = await createCard(h, TEAM_A, {
      name: '张三',
      company: '华东贸易',
      preferences: '爱喝普洱，讨厌推销电话',
      family: '女儿今年高考',
      interests: '钓鱼',
      creditLimitFen: '1000',
    });
    zhangId = zhang.id;
    await logContact(h, TEAM_A, '张三', {
      notes: '看了新款',
      needs: '想换节能款',
      attitude: 'positive',
      lastPurchaseDate: '2026-11-01',
      purchaseKinds: '柜机',
      stockOnHand: '5',
      promise1: '送样品到店',
      promise1Due: '2026-11-20',
    });
    // Past the ¥1,000 credit limit, overdue since 2026-10-31.
    await sell(TEAM_A, '张三', {
      amountFen: '1500',
      profitFen: '300',
      date: '2026-10-01',
      dueDate: '2026-10-31',
      overrideCredit: true,
    });
    await createCard(h, TEAM_A, { name: '王五' });
    await referFrom(TEAM_A, '王五', '赵六');
    await referFrom(TEAM_A, '张三', '李四');
    // 李四's first sale makes the referral a deal: 张三 is now waiting to be thanked.
    await sell(TEAM_A, '李四', { amountFen: '100', paidInFull: true });
    expect(visibleText((await h.command('segments refresh', ADMIN)).args.blocks)).toContain('客户分层已刷新');
  });

  it('opens the brief in a modal from the Brief button on the card, every fact in reading order', async () => {
    const card = await h.command('张三');
    const button = findButton(card.args.blocks, ACTION.cardBrief);
    expect(button.value).toBe(zhangId);
    const { view } = await h.openModal(TEAM_A, button, { responseUrl: card.responseUrl });
    expect(view.type).toBe('modal');
    expect(view.title.text).toBe('访前简报');
    const text = visibleText(view.blocks);
    expect(text).toContain('张三');
    expect(text).toContain('华东贸易');
    expectInOrder(text, ZHANG_FACTS);
    // The other referrer's referral is not 张三's to be thanked for.
    expect(text).not.toContain('赵六');
  });

  it('answers `/card brief 张三` (and its Chinese words) with the same brief, and a way on to the card', async () => {
    for (const query of ['brief 张三', '简报 张三', '访前 zhangsan']) {
      const reply = await h.command(query);
      expect(reply.args.response_type).toBe('ephemeral');
      expectInOrder(visibleText(reply.args.blocks), ZHANG_FACTS);
      expect(findButton(reply.args.blocks, ACTION.openCard).value).toBe(zhangId);
    }
  });

  it('says so when the brief of nobody is asked for, offering a new card as a lookup does', async () => {
    const reply = await h.command('brief 不存在的人');
    expect(visibleText(reply.args.blocks)).toContain('没有找到「不存在的人」的客户卡。');
    expect(JSON.parse(findButton(reply.args.blocks, ACTION.newCard).value!)).toEqual({ name: '不存在的人' });
  });

  it('answers `/card brief` with no one named with its usage, not an offer to create a customer called "brief"', async () => {
    for (const text of ['brief', '简报']) {
      const reply = await h.command(text);
      expect(visibleText(reply.args.blocks)).toContain('用法：`/card brief 张三`');
      expect(JSON.stringify(reply.args.blocks)).not.toContain(ACTION.newCard);
    }
  });

  it('lists several matches each with a Brief button that opens that one', async () => {
    await createCard(h, TEAM_A, { name: '王伟', region: '杭州' });
    await createCard(h, TEAM_A, { name: '王伟', region: '宁波', preferences: '宁波的王伟爱喝龙井' });
    const reply = await h.command('brief 王伟');
    expect(visibleText(reply.args.blocks)).toContain('「王伟」有 2 张客户卡');
    const rows = (reply.args.blocks as Record<string, any>[]).filter(
      (b) => b.accessory?.action_id === ACTION.cardBrief,
    );
    expect(rows).toHaveLength(2);
    const ningbo = rows.find((r) => r.text.text.includes('宁波'))!;
    const { view } = await h.openModal(
      TEAM_A,
      { ...ningbo.accessory, block_id: ningbo.block_id },
      { responseUrl: reply.responseUrl },
    );
    expect(visibleText(view.blocks)).toContain('宁波的王伟爱喝龙井');
  });

  it("refuses another team's card, an unknown id and a malformed one, showing nothing of any card", async () => {
    for (const [actor, value] of [
      [TEAM_B, zhangId],
      [TEAM_A, new ObjectId().toHexString()],
      [TEAM_A, '{"$ne":null}'],
    ] as const) {
      const { view } = await h.openModal(actor, { action_id: ACTION.cardBrief, value });
      const text = visibleText(view.blocks);
      expect(text).toContain('这张客户卡不存在或不属于本工作区。');
      expect(text).not.toContain('张三');
      expect(text).not.toContain('¥');
    }
  });
});

describe('hostile and long text', () => {
  it('escapes a name and notes that try to ping the channel', async () => {
    await createCard(h, TEAM_A, { name: '<!channel> 钱七', preferences: '<@U0HACKER> & <https://evil.example|点我>' });
    await logContact(h, TEAM_A, '<!channel> 钱七', { needs: '<!here> 马上' });
    const card = await h.command('<!channel> 钱七');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.cardBrief), {
      responseUrl: card.responseUrl,
    });
    const reply = await h.command('brief <!channel> 钱七');
    // The name heads the brief as plain text, which Slack never parses; the notification text escapes it.
    expect(view.blocks[0].text).toMatchObject({ type: 'plain_text', text: '<!channel> 钱七' });
    expect(reply.args.text).toContain('&lt;!channel&gt; 钱七');
    for (const texts of [mrkdwnTexts(view.blocks), [...mrkdwnTexts(reply.args.blocks), reply.args.text as string]]) {
      const all = texts.join('\n');
      expect(all).toContain('&lt;@U0HACKER&gt; &amp; &lt;https://evil.example|点我&gt;');
      expect(all).toContain('&lt;!here&gt; 马上');
      // The only `<…>` the app writes is its own mention of the visit's author.
      expect(all.replace(/<@U1SELLER>/g, '')).not.toMatch(/<[!@#h]/);
    }
  });

  it('keeps the brief within Block Kit limits when every note is as long as the modals allow', async () => {
    const amp = (n: number) => '&'.repeat(n);
    await createCard(h, TEAM_A, {
      name: '孙长',
      preferences: amp(1000),
      family: amp(500),
      interests: amp(500),
      paymentTerms: amp(200),
    });
    await logContact(h, TEAM_A, '孙长', {
      notes: amp(3000),
      needs: amp(1000),
      purchaseKinds: amp(200),
      stockOnHand: '99999',
      promise1: amp(300),
      promise1Due: '2026-11-20',
      promise2: amp(300),
      promise2Due: '2026-11-21',
      promise3: amp(300),
      promise3Due: '2026-11-22',
    });
    const card = await h.command('孙长');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.cardBrief), {
      responseUrl: card.responseUrl,
    });
    const reply = await h.command('brief 孙长');
    expect(validateModal(view)).toEqual([]);
    expect(validateMessage(reply.args)).toEqual([]);
    // Cut notes still leave every section after them in place.
    for (const title of [
      '可以聊的话题',
      '最近购买与库存',
      '上次拜访',
      '未兑现的承诺',
      '欠款与信用',
      '待致谢的转介绍',
      '客户分层',
    ]) {
      expect(visibleText(view.blocks)).toContain(title);
    }
  });
});

describe('parsing `/card brief`', () => {
  it.each([
    ['brief 张三', { kind: 'name', text: '张三' }],
    ['BRIEF  KH-2026-0001', { kind: 'number', number: 'KH-2026-0001' }],
    ['简报 138 0013 8000', { kind: 'phone', phoneKey: '13800138000' }],
  ])('%s is a brief of the search it names', (text, search) => {
    expect(parseLookup(text)).toEqual({ kind: 'brief', search: expect.objectContaining(search) });
  });

  it('leaves a name merely starting with the word as a search for that name; the word alone names nobody', () => {
    expect(parseLookup('简报员')).toMatchObject({ kind: 'name', text: '简报员' });
    for (const word of ['brief', 'BRIEF', '简报', '访前']) expect(parseLookup(word)).toEqual({ kind: 'badBrief' });
  });

  it('refuses a brief of text too long to search for', () => {
    expect(parseLookup(`brief ${'长'.repeat(65)}`)).toEqual({ kind: 'tooLong', max: 64 });
  });
});

describe('renderBrief over arbitrary text', () => {
  const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
  /** A card's name is required: never empty. */
  const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 });
  const visit = (notes: string, needs: string, kinds: string): VisitRecord => ({
    _id: new Types.ObjectId(),
    teamId: 'T1',
    customerId: new Types.ObjectId(),
    date: '2026-11-23',
    kind: 'visit',
    notes,
    needs,
    attitude: 'negative',
    purchaseKinds: kinds,
    stockOnHand: 3,
    createdBy: 'U1SELLER',
    createdAt: new Date(),
  });
  const promise = (text: string): PromiseRecord => ({
    _id: new Types.ObjectId(),
    teamId: 'T1',
    customerId: new Types.ObjectId(),
    visitId: new Types.ObjectId(),
    text,
    dueDate: '2026-11-01',
    status: 'open',
    version: 1,
    createdBy: 'U1SELLER',
    createdAt: new Date(),
  });
  const referral = (reason: string) =>
    ({
      _id: new Types.ObjectId(),
      referrerId: new Types.ObjectId(),
      status: 'noDeal',
      noDealReason: reason,
    }) as unknown as ReferralRecord;

  it('stays within Block Kit limits and escapes every piece, in either language', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('zh', 'en' as const),
        name,
        text(1000),
        text(3000),
        text(300),
        text(1000),
        fc.integer({ min: -1e13, max: 1e13 }),
        (locale, name, prefs, notes, short, reason, fen) => {
          const t = messagesFor(locale);
          const customer = {
            _id: new Types.ObjectId(),
            teamId: 'T1',
            number: 'KH-2026-0001',
            name,
            preferences: prefs,
            family: prefs.slice(0, 500),
            interests: short,
            company: short.slice(0, 100),
            phone: short.slice(0, 30),
            paymentTerms: short.slice(0, 200),
            creditRating: 'low',
            ambassador: true,
          } as unknown as CustomerRecord;
          const brief: Brief = {
            customer,
            lastVisit: visit(notes, prefs, short),
            stockVisit: visit(notes, prefs, short),
            openPromises: Array.from({ length: 5 }, () => promise(short)),
            money: {
              outstandingFen: Math.abs(fen),
              overdueFen: Math.abs(fen),
              oldestOverdueDays: 9,
              yearSalesFen: 0,
              yearProfitFen: 0,
              lastSale: { product: short, quantity: 2, date: '2026-10-01' },
              creditLimitFen: 0,
              headroomFen: fen,
              receivables: [],
            },
            awaitingThanks: Array.from({ length: 5 }, () => ({
              referral: referral(reason),
              referred: { _id: new Types.ObjectId(), teamId: 'T1', name, number: 'KH-2026-0002' } as never,
            })),
            moreAwaitingThanks: 3,
            today: '2026-11-23',
          };
          const modal = renderBriefModal(t, brief);
          const reply = renderBriefMessage(t, brief);
          expect(validateModal(modal)).toEqual([]);
          expect(validateMessage(reply)).toEqual([]);
          for (const mrkdwn of [...mrkdwnTexts(modal.blocks), ...mrkdwnTexts(reply.blocks), reply.text]) {
            expect(mrkdwn.replace(/<@U1SELLER>/g, '')).not.toMatch(/</);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
