import { ACTION } from '../src/views/ids.js';
import { createCard, logContact, recordSale } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, onPosted, TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * Buttons on messages the app posted (reminders in the team channel, a
 * wrap-up in a DM) answer the person who pressed them privately, and the
 * message keeps what it says; the card shown after any save is the card as
 * that save left it.
 */
const h = useHarness({
  now: '2026-11-23T10:00:00+08:00',
  env: { FINANCE_USER_ID: 'UFINANCE', MANAGER_USER_ID: 'UMANAGER' },
});

/** A card owing `amount`, due `dueDate`, and its collection reminder as posted to the nudge channel. */
async function reminderFor(name: string, amount: string, dueDate: string) {
  await createCard(h, TEAM_A, { name });
  await recordSale(h, TEAM_A, name, {
    product: '货款',
    amountFen: amount,
    date: '2026-11-01',
    dueDate,
    paidInFull: false,
  });
  const before = h.fake.mark();
  await h.scanOnEveryInstance();
  return h.fake.waitFor(
    'chat.postMessage',
    (c) => c.args.channel === NUDGE_CHANNEL && String(c.args.text).includes(name),
    before,
  );
}

/** Everything the app sent through one response_url, in order. */
const answersVia = (responseUrl: string) =>
  h.fake.accepted('response_url').filter((c) => c.responseUrl === responseUrl);

describe('Record payment on a collection reminder in the team channel', () => {
  it('shows the card only to the payer and leaves the reminder stating its facts, with who recorded what', async () => {
    const reminder = await reminderFor('收款客户', '800', '2026-11-10');
    const facts = visibleText(reminder.args.blocks);
    expect(facts).toContain('未收 ¥800.00 · 逾期 13 天');
    const where = onPosted(reminder);
    const { view, responseUrl } = await h.openModal(
      TEAM_A_COLLEAGUE,
      findButton(reminder.args.blocks, ACTION.recordPayment),
      where,
    );
    const before = h.fake.mark();
    expect((await h.submitView(TEAM_A_COLLEAGUE, view, { amountFen: '100' })).body).toBe('');

    const update = await h.fake.waitFor('chat.update', (c) => c.args.ts === where.messageTs, before);
    expect(update.args.channel).toBe(NUDGE_CHANNEL);
    const updated = visibleText(update.args.blocks);
    expect(updated).toContain('未收 ¥800.00 · 逾期 13 天 · 到期日 2026-11-10');
    expect(updated).toContain('✅ <@U2COLLEAGUE> 记录收款 ¥100.00');
    // Still a reminder: its buttons stay for whoever must still act on it.
    findButton(update.args.blocks, ACTION.nudgeDone);
    expect(updated).not.toContain('信用额度');

    const answer = await h.fake.waitForResponse(responseUrl, before);
    expect(answer.args.replace_original).toBe(false);
    expect(answer.args.response_type).toBe('ephemeral');
    expect(visibleText(answer.args.blocks)).toContain('收款客户');
    expect(answersVia(responseUrl).every((c) => c.args.replace_original === false)).toBe(true);
  });
});

describe('a reminder answered keeps its own facts', () => {
  it('Log visit on a large collection reminder closes it with the amount and days, not as a follow-up', async () => {
    const reminder = await reminderFor('上门客户', '20000', '2026-11-10');
    expect(visibleText(reminder.args.blocks)).toContain('亲自上门拜访收款');
    const where = onPosted(reminder);
    const { view } = await h.openModal(TEAM_A, findButton(reminder.args.blocks, ACTION.nudgeLogVisit), where);
    const before = h.fake.mark();
    expect((await h.submitView(TEAM_A, view, { notes: '上门谈了付款' })).body).toBe('');
    const update = await h.fake.waitFor('chat.update', (c) => c.args.ts === where.messageTs, before);
    const text = visibleText(update.args.blocks);
    expect(text).toContain('未收 ¥20,000.00 · 逾期 13 天');
    expect(text).toContain('✅ <@U1SELLER> 已记录拜访');
    expect(text).not.toContain('跟进提醒');
    expect(text).not.toContain('计划：（未填写）');
    expect(update.args.blocks.some((b: Record<string, any>) => b.type === 'actions')).toBe(false);
  });

  it('a button that answers a small one keeps the amount and days too', async () => {
    const reminder = await reminderFor('催款客户', '600', '2026-11-10');
    const where = onPosted(reminder);
    const click = await h.clickButton(TEAM_A, findButton(reminder.args.blocks, ACTION.nudgeDone), where);
    const replaced = await h.fake.waitForResponse(click.responseUrl);
    expect(replaced.args.replace_original).toBe(true);
    const text = visibleText(replaced.args.blocks);
    expect(text).toContain('未收 ¥600.00 · 逾期 13 天');
    expect(text).toContain('✅ <@U1SELLER>：已发送催款提醒');
  });
});

describe('Open on a wrap-up in a DM', () => {
  it('shows the card beside the wrap-up instead of in its place', async () => {
    const wrapUp = {
      channel: 'DU1SELLER',
      messageTs: '1700000000.000777',
      message: { text: '日终小结', blocks: [] as Record<string, any>[] },
    };
    const created = await createCard(h, TEAM_A, { name: '小结客户' });
    wrapUp.message.blocks = [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*🌙 日终小结*' },
        accessory: {
          type: 'button',
          action_id: ACTION.openCard,
          text: { type: 'plain_text', text: '打开' },
          value: created.id,
        },
      },
    ];
    const click = await h.clickButton(TEAM_A, { action_id: ACTION.openCard, value: created.id }, wrapUp);
    const shown = await h.fake.waitForResponse(click.responseUrl);
    expect(shown.args.replace_original).toBe(false);
    expect(shown.args.response_type).toBe('ephemeral');
    expect(visibleText(shown.args.blocks)).toContain('小结客户');
  });
});

describe('the card shown after a save', () => {
  it('after Log visit shows the contact it just logged: 潜在客户 and the last contact', async () => {
    await createCard(h, TEAM_A, { name: '刚联系客户' });
    const card = await h.command('刚联系客户');
    expect(visibleText(card.args.blocks)).toContain('疑虑客户');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.logVisit), {
      responseUrl: card.responseUrl,
    });
    const before = h.fake.mark();
    expect((await h.submitView(TEAM_A, view, { notes: '初次电话' })).body).toBe('');
    const shown = visibleText((await h.fake.waitForResponse(card.responseUrl, before)).args.blocks);
    expect(shown).toContain('潜在客户');
    expect(shown).not.toContain('疑虑客户');
    expect(shown).toContain('最近联系*\n2026-11-23');
  });

  it('after a first sale says 现有客户', async () => {
    await createCard(h, TEAM_A, { name: '首单客户' });
    await logContact(h, TEAM_A, '首单客户', { notes: '谈过' });
    const card = await h.command('首单客户');
    expect(visibleText(card.args.blocks)).toContain('潜在客户');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.recordSale), {
      responseUrl: card.responseUrl,
    });
    const before = h.fake.mark();
    expect(
      (
        await h.submitView(TEAM_A, view, {
          product: '空调',
          quantity: 1,
          amountFen: '3000',
          profitFen: null,
          paidInFull: true,
        })
      ).body,
    ).toBe('');
    const shown = visibleText((await h.fake.waitForResponse(card.responseUrl, before)).args.blocks);
    expect(shown).toContain('现有客户');
    expect(shown).not.toContain('潜在客户');
  });
});
