import { en } from '../src/i18n/en.js';
import { messagesFor } from '../src/i18n/index.js';
import { zh } from '../src/i18n/zh.js';
import { ACTION, CALLBACK, FUNCTION, SHORTCUT } from '../src/views/ids.js';
import { createCard, logContact, recordSale } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, onPosted, suggest, TEAM_A, TEAM_A_COLLEAGUE } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

/**
 * English that reads as English, Chinese that reads as Chinese. A team of
 * each language walks through every row of the README's table (commands,
 * every button and modal, every kind of reminder over four months, Home, the
 * settings, a handover, the export) with data in its own language; then
 * everything the app showed (messages, modals, Home, inline errors, options,
 * the CSV files) is read: English must hold no CJK character or punctuation
 * (、，。（）：…) and no "1 days" or "a Inactive"; Chinese no stray English word.
 * Every string of both dictionaries is read the same way.
 */

const ADMIN: Actor = { teamId: TEAM_A.teamId, userId: 'U9ADMIN' };
const MANAGER: Actor = { teamId: TEAM_A.teamId, userId: 'U8MANAGER' };
const SELLER = TEAM_A;
const COLLEAGUE = TEAM_A_COLLEAGUE;

/** CJK ideographs, CJK punctuation (、。「」【】…), and full-width forms (，（）：！？). */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/g;
/**
 * What English may still show in Chinese script: the name of the Chinese language in the language picker, and the bot's
 * Slack name.
 */
const CJK_ALLOWED = /中文|客户卡/g;
/** A count of one with a plural noun, or "a" before a vowel: the slips of templates filled with numbers and labels. */
const ENGLISH_SLIPS =
  /\b1 (?:days|cards|customers|reminders|minutes|characters|promises|times|hours|ambassadors|referrals)\b|\ba (?=[AEIOaeio])/g;
/** Latin words Chinese may show: product names, file types, ids, units, the name of English in the language picker. */
const LATIN_ALLOWED = /\b(?:Slack|Excel|Customer Cards|CSV|xlsx|xls|csv|txt|MB|ABC|ID|KH|English)\b/g;

/** Mentions, channels and links as the app writes them, inline code and command words: not prose in either language. */
function prose(text: string): string {
  return (
    text
      .replace(/\u200B/g, '')
      .replace(/<[@#!][^>]*>/g, '')
      .replace(/<https?:[^>]*>/g, '')
      .replace(/`[^`]*`/g, '')
      .replace(/\/card(?: [a-z]+)*/g, '')
      .replace(/:[a-z_]+:/g, '')
      // Time zone ids (Asia/Shanghai, UTC) and file names (…csv) are ids, not words.
      .replace(/\b[A-Z][A-Za-z]+\/[A-Za-z_/]+|\bUTC\b|\.csv\b/g, '')
  );
}

function problemsIn(locale: 'en' | 'zh', where: string, text: string): string[] {
  const p = prose(text);
  if (locale === 'en') {
    const cjk = p.replace(CJK_ALLOWED, '').match(CJK) ?? [];
    const slips = p.match(ENGLISH_SLIPS) ?? [];
    return [
      ...cjk.map((c) => `${where}: "${c}" in ${JSON.stringify(text.slice(0, 160))}`),
      ...slips.map((s) => `${where}: "${s.trim()}…" in ${JSON.stringify(text.slice(0, 160))}`),
    ];
  }
  const words = p.replace(LATIN_ALLOWED, '').match(/[A-Za-z]{2,}/g) ?? [];
  return words.map((w) => `${where}: "${w}" in ${JSON.stringify(text.slice(0, 160))}`);
}

/**
 * Every piece of text a person reads in a payload: text objects, a message's notification text, inline errors; never
 * ids, values or metadata.
 */
function readable(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => readable(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (
        [
          'value',
          'private_metadata',
          'action_id',
          'block_id',
          'callback_id',
          'url',
          'response_url',
          'trigger_id',
          'channel',
          'ts',
          'thread_ts',
          'user_id',
          'users',
          'initial_date',
          'initial_user',
          'initial_users',
          'initial_conversation',
          'id',
          'hash',
          'metadata',
        ].includes(key)
      )
        continue;
      if (typeof value === 'string' && (key === 'text' || key === 'initial_comment' || key === 'initial_value'))
        out.push(value);
      else if (key === 'errors' && value && typeof value === 'object')
        out.push(...Object.values(value as Record<string, string>));
      else readable(value, out);
    }
  }
  return out;
}

/** Each language's data, as a team of that language types it. */
const DATA = {
  en: {
    ann: 'Ann Lee',
    bob: 'Bob Stone',
    cara: 'Cara Wu',
    dan: 'Dan Park',
    eve: 'Eve Moss',
    finn: 'Finn Hart',
    gus: 'Gus Reed',
    prospect: 'Pat Young',
    company: 'Acme Trading',
    title: 'Buyer',
    region: 'East',
    address: '1 Harbour Road',
    pref: 'Likes green tea, hates cold calls',
    family: 'Two children',
    terms: 'Net 45 days',
    notes: 'Talked about the spring range',
    needs: 'A cheaper model',
    plan: 'Call back about samples',
    promise: 'Send the samples',
    product: 'Air conditioner',
    reason: 'Bought elsewhere',
    thanksNote: 'Sent a card',
    handover: 'New region',
    special: 'Three instalments, agreed',
    nobody: 'nobody at all',
    badFilter: 'export tier:gold',
    said: 'Ann wants a quote for the blue model by Friday',
    noteSaid: 'Ann prefers calls after lunch',
    file: 'Price list',
    newName: 'Hal Ford',
  },
  zh: {
    ann: '张三',
    bob: '李四',
    cara: '王五',
    dan: '赵六',
    eve: '钱七',
    finn: '孙八',
    gus: '周九',
    prospect: '吴十',
    company: '华东贸易',
    title: '采购',
    region: '华东',
    address: '上海市浦东新区',
    pref: '爱喝普洱，讨厌推销电话',
    family: '两个孩子',
    terms: '月结45天',
    notes: '聊了春季新品',
    needs: '想要便宜一点的型号',
    plan: '回访样品的事',
    promise: '寄样品',
    product: '空调',
    reason: '在别家买了',
    thanksNote: '寄了贺卡',
    handover: '调整区域',
    special: '分三期付清，经理同意',
    nobody: '查无此人',
    badFilter: '导出 层级:金牌',
    said: '张总要蓝色款的报价，周五前给',
    noteSaid: '张总午饭后方便接电话',
    file: '价目表',
    newName: '郑十一',
  },
} as const;

describe.each(['en', 'zh'] as const)('everything the app shows a %s team', (locale) => {
  const d = DATA[locale];
  const answers: { where: string; body: unknown }[] = [];
  const submit = async (actor: Actor, view: Record<string, any>, changes: Record<string, unknown> = {}) => {
    const res = await h.submitView(actor, view, changes);
    if (res.body) answers.push({ where: `answer to ${view.callback_id}`, body: res.json() });
    return res;
  };
  const openFrom = async (actor: Actor, blocks: Record<string, any>[], action: string, where = {}) =>
    (await h.openModal(actor, findButton(blocks, action), where)).view;
  const cardOf = (name: string, actor: Actor = SELLER) => h.command(name, actor);
  const posted = (pred: (c: { args: Record<string, any> }) => boolean) =>
    h.fake.accepted('chat.postMessage').filter(pred);
  const dmsTo = (user: string, containing: string) =>
    posted((c) => c.args.channel === user && JSON.stringify(c.args).includes(containing));

  const h = useHarness(
    {
      now: '2026-11-23T10:00:00+08:00',
      env: {
        DEFAULT_LOCALE: locale,
        ADMIN_USER_IDS: ADMIN.userId,
        MANAGER_USER_ID: MANAGER.userId,
        FINANCE_USER_ID: 'U7FINANCE',
      },
    },
    { checkPayloads: false, timeout: 60_000 },
  );

  it('walks through every command, button, modal and reminder', async () => {
    // Commands that only answer.
    for (const text of [
      'help',
      d.nobody,
      'brief',
      'overdue',
      'referrals',
      'ambassadors',
      'pool',
      'plan',
      'handover',
      d.badFilter,
      `${d.ann}${'长'.repeat(70)}`,
    ])
      await h.command(text);

    // Cards, every field as the form asks for it.
    await createCard(h, SELLER, {
      name: d.ann,
      company: d.company,
      title: d.title,
      phone: '138 0013 8000',
      address: d.address,
      region: d.region,
      family: d.family,
      preferences: d.pref,
      creditRating: 'low',
      creditLimitFen: '1000',
      paymentTerms: d.terms,
      stage: 'trust',
      style: 'driver',
      loyalty: 'loyal',
    });
    for (const name of [d.bob, d.cara, d.dan, d.eve, d.finn])
      await createCard(h, SELLER, { name, company: d.company, region: d.region });
    await createCard(h, SELLER, { name: d.gus, ambassador: true });
    await h.command(d.company);
    await h.command(`brief ${d.ann}`);
    const { view: invalid } = await h.openModal(SELLER, {
      action_id: ACTION.newCard,
      value: JSON.stringify({ name: '' }),
    });
    await submit(SELLER, invalid, { name: ' ', phone: 'call me', creditLimitFen: '1.234' });

    // A card's buttons and modals.
    let card = await cardOf(d.ann);
    await submit(SELLER, await openFrom(SELLER, card.args.blocks, ACTION.editCard, { responseUrl: card.responseUrl }), {
      title: d.title,
    });
    const visitForm = await openFrom(SELLER, card.args.blocks, ACTION.logVisit, { responseUrl: card.responseUrl });
    await submit(SELLER, visitForm, { date: '2026-12-31' });
    await submit(SELLER, visitForm, {
      notes: d.notes,
      needs: d.needs,
      attitude: 'positive',
      materialRequested: true,
      purchaseKinds: d.product,
      stockOnHand: 3,
      nextFollowUpDate: '2026-11-25',
      nextFollowUpPlan: d.plan,
      promise1: d.promise,
      promise1Due: '2026-11-26',
    });
    card = await cardOf(d.ann);
    const sale = await openFrom(SELLER, card.args.blocks, ACTION.recordSale, { responseUrl: card.responseUrl });
    await submit(SELLER, sale, {
      product: d.product,
      quantity: 1,
      amountFen: '20000',
      date: '2026-10-01',
      dueDate: '2026-10-20',
      paidInFull: false,
    });
    await submit(SELLER, sale, {
      product: d.product,
      quantity: 1,
      amountFen: '20000',
      date: '2026-10-01',
      dueDate: '2026-10-20',
      paidInFull: false,
      overrideCredit: true,
    });
    card = await cardOf(d.ann);
    await submit(
      SELLER,
      await openFrom(SELLER, card.args.blocks, ACTION.recordPayment, { responseUrl: card.responseUrl }),
      { amountFen: '100' },
    );
    await submit(
      SELLER,
      await openFrom(SELLER, card.args.blocks, ACTION.recordAdjustment, { responseUrl: card.responseUrl }),
      { kind: 'discount', amountFen: '50', reason: d.reason },
    );
    await openFrom(SELLER, card.args.blocks, ACTION.money);
    await openFrom(SELLER, card.args.blocks, ACTION.history);
    await openFrom(SELLER, card.args.blocks, ACTION.cardBrief);
    await recordSale(h, SELLER, d.bob, { product: d.product, amountFen: '500', date: '2026-11-23' });
    await logContact(h, SELLER, d.cara, { notes: d.notes, nextFollowUpDate: '2026-11-25', nextFollowUpPlan: d.plan });
    for (const name of [d.dan, d.eve, d.finn, d.bob])
      await logContact(h, SELLER, name, { notes: d.notes, nextFollowUpDate: '2026-11-25', nextFollowUpPlan: d.plan });

    // A referral, its nudge, no deal, the thanks.
    card = await cardOf(d.ann);
    await submit(
      SELLER,
      await openFrom(SELLER, card.args.blocks, ACTION.recordReferral, { responseUrl: card.responseUrl }),
      { name: d.prospect, needs: d.needs },
    );
    await h.scanOnEveryInstance();
    const referralNudge = dmsTo(SELLER.userId, ACTION.nudgeLogVisit).at(-1)!;
    await submit(
      SELLER,
      await openFrom(SELLER, referralNudge.args.blocks, ACTION.nudgeLogVisit, onPosted(referralNudge)),
      { kind: 'phone', notes: d.notes },
    );
    const prospect = await cardOf(d.prospect);
    await submit(
      SELLER,
      await openFrom(SELLER, prospect.args.blocks, ACTION.referralNoDeal, { responseUrl: prospect.responseUrl }),
      { reason: d.reason },
    );
    await h.scanOnEveryInstance();
    const thanks = dmsTo(SELLER.userId, ACTION.thankReferrer).at(-1)!;
    await submit(SELLER, await openFrom(SELLER, thanks.args.blocks, ACTION.thankReferrer, onPosted(thanks)), {
      how: 'gift',
      note: d.thanksNote,
    });
    await h.command('referrals');
    const options = await suggest(h, SELLER, ACTION.cardPicker, locale === 'en' ? 'ann' : '张');
    answers.push({ where: 'type-ahead options', body: options.json() });

    // Reminders over four months: follow-ups (a digest), promise, check-in, overdue, wrap-up, cadence, ambassador,
    // pool.
    await h.scanAt('2026-11-23T18:00:00+08:00');
    await h.scanAt('2026-11-24T18:00:00+08:00');
    await h.scanAt('2026-11-25T09:00:00+08:00');
    const followUp = posted(
      (c) =>
        c.args.channel === NUDGE_CHANNEL &&
        c.args.thread_ts !== undefined &&
        JSON.stringify(c.args.blocks).includes(ACTION.snoozeDay),
    );
    await h.clickButton(SELLER, findButton(followUp[0]!.args.blocks, ACTION.snoozeDay), onPosted(followUp[0]!));
    await submit(
      SELLER,
      await openFrom(SELLER, followUp[1]!.args.blocks, ACTION.nudgeLogVisit, onPosted(followUp[1]!)),
      { notes: d.notes },
    );
    await h.scanAt('2026-11-26T09:00:00+08:00');
    const promise = dmsTo(SELLER.userId, ACTION.promiseReschedule).at(-1)!;
    await submit(SELLER, await openFrom(SELLER, promise.args.blocks, ACTION.promiseReschedule, onPosted(promise)), {
      dueDate: '2026-11-28',
    });
    await h.scanAt('2026-11-28T09:00:00+08:00');
    const promise2 = dmsTo(SELLER.userId, ACTION.promiseKept).at(-1)!;
    await h.clickButton(SELLER, findButton(promise2.args.blocks, ACTION.promiseKept), onPosted(promise2));
    await h.scanAt('2026-11-30T09:00:00+08:00');
    const overdue = posted(
      (c) =>
        JSON.stringify(c.args.blocks).includes(ACTION.specialHandling) ||
        JSON.stringify(c.args.blocks).includes(ACTION.nudgeDone),
    ).at(-1);
    if (overdue) {
      const done = JSON.stringify(overdue.args.blocks).includes(ACTION.specialHandling)
        ? await submit(SELLER, await openFrom(SELLER, overdue.args.blocks, ACTION.specialHandling, onPosted(overdue)), {
            plan: d.special,
          })
        : await h.clickButton(SELLER, findButton(overdue.args.blocks, ACTION.nudgeDone), onPosted(overdue));
      expect(done.status).toBe(200);
    }
    // Admin, manager: segments, settings, Home, handover, reassign, export.
    await h.command('segments refresh', ADMIN);
    await h.command('segments refresh', SELLER);
    for (const actor of [SELLER, ADMIN, MANAGER]) await h.openHome(actor);
    h.fake.botNotIn('CNEWCHANNEL');
    const settingsView = await openFrom(
      ADMIN,
      [{ type: 'actions', elements: [{ action_id: ACTION.editSettings, value: 'edit' }] }],
      ACTION.editSettings,
    );
    await submit(ADMIN, settingsView, { 'collection.longAfterDays': '0' });
    await submit(ADMIN, settingsView, { nudgeChannel: 'CNEWCHANNEL', nudgeHour: '8' });
    await h.openHome(ADMIN);
    card = await cardOf(d.cara);
    await submit(SELLER, await openFrom(SELLER, card.args.blocks, ACTION.reassign, { responseUrl: card.responseUrl }), {
      to: COLLEAGUE.userId,
      reason: d.handover,
    });
    const preview = await h.command(`handover <@${COLLEAGUE.userId}> <@${SELLER.userId}>`, MANAGER);
    await h.clickButton(MANAGER, findButton(preview.args.blocks, ACTION.handoverConfirm), {
      responseUrl: preview.responseUrl,
    });
    const before = h.fake.mark();
    await h.command('export visits sales', ADMIN);
    await h.fake.waitFor('files.completeUploadExternal', () => true, before);
    await h.command('overdue');
    await h.command('ambassadors');
    await h.command(`plan ${d.region}`);
    await h.command('plan');
    for (const day of ['2026-12-10', '2026-12-24', '2027-01-10', '2027-02-25', '2027-03-05'])
      await h.scanAt(`${day}T09:00:00+08:00`);
    const ambassador = dmsTo(SELLER.userId, ACTION.snoozeWeek).at(-1);
    if (ambassador)
      await h.clickButton(SELLER, findButton(ambassador.args.blocks, ACTION.snoozeWeek), onPosted(ambassador));
    await h.command('pool');
    const released = dmsTo(SELLER.userId, ACTION.poolClaim).at(-1);
    if (released) await h.clickButton(SELLER, findButton(released.args.blocks, ACTION.poolClaim), onPosted(released));
    await h.openHome(SELLER);

    // Capture from anywhere: a message saved to a card (a need, a note on a new card), the History that shows them, a
    // message too long and one the bot cannot read, the ⚡ shortcuts, and the Workflow Builder steps.
    const annId = findButton((await cardOf(d.ann)).args.blocks, ACTION.editCard).value!;
    const heard = h.fake.postUserMessage(SELLER.teamId, 'CSALES', {
      user: COLLEAGUE.userId,
      text: d.said,
      files: [{ name: d.file }],
    });
    const save = await h.openFromMessage(SELLER, SHORTCUT.saveMessage, { channel: 'CSALES', ts: heard });
    const picks = await suggest(h, SELLER, ACTION.cardPicker, d.newName, '', CALLBACK.saveMessageModal);
    answers.push({ where: 'save-to-card options', body: picks.json() });
    await submit(SELLER, save.view, { customer: annId, what: 'promise' });
    await submit(SELLER, save.view, { customer: annId, what: 'need' });
    const noted = h.fake.postUserMessage(SELLER.teamId, 'CSALES', { user: COLLEAGUE.userId, text: d.noteSaid });
    const note = await h.openFromMessage(SELLER, SHORTCUT.saveMessage, { channel: 'CSALES', ts: noted });
    await submit(SELLER, note.view, { customer: `new:${d.newName}`, what: 'note' });
    await submit(SELLER, note.view, { customer: annId, what: 'note' });
    card = await cardOf(d.ann);
    await openFrom(SELLER, card.args.blocks, ACTION.history);
    const long = h.fake.postUserMessage(SELLER.teamId, 'CSALES', { user: COLLEAGUE.userId, text: d.said.repeat(300) });
    await h.openFromMessage(SELLER, SHORTCUT.saveMessage, { channel: 'CSALES', ts: long });
    h.fake.botNotIn('CNOBOT');
    const unread = h.fake.postUserMessage(SELLER.teamId, 'CNOBOT', { user: COLLEAGUE.userId, text: d.said });
    await h.openFromMessage(SELLER, SHORTCUT.saveMessage, { channel: 'CNOBOT', ts: unread });
    await submit(SELLER, await h.openGlobal(SELLER, SHORTCUT.newCard), { name: `${d.newName}2` });
    const pick = await h.openGlobal(SELLER, SHORTCUT.logVisit);
    await submit(SELLER, pick, {});
    const next = (await submit(SELLER, pick, { customer: annId })).json();
    await submit(SELLER, next.view, { notes: d.notes });
    await submit(SELLER, await h.openGlobal(SELLER, SHORTCUT.findCustomer), { customer: annId });
    const annNumber = /KH-\d{4}-\d{4}/.exec(JSON.stringify(card.args.blocks))![0];
    for (const [step, inputs] of [
      [FUNCTION.createCard, { name: `${d.newName}3`, owner: SELLER.userId, referrer: annNumber }],
      [FUNCTION.createCard, { owner: SELLER.userId }],
      [FUNCTION.createCard, { name: d.prospect, referrer: d.nobody, owner: SELLER.userId }],
      [FUNCTION.logVisit, { customer: annNumber, note: d.notes, logged_by: SELLER.userId }],
      [FUNCTION.logVisit, { customer: annNumber, logged_by: SELLER.userId, next_follow_up_date: '2020-01-01' }],
      [FUNCTION.logVisit, { customer: '139 9999 9999', logged_by: SELLER.userId, kind: 'fax' }],
    ] as const) {
      const end = await h.stepEnd((await h.executeStep(SELLER.teamId, step, inputs)).executionId);
      if (end.error) answers.push({ where: `step ${step}`, body: { text: end.error } });
    }
  }, 180_000);

  it('shows nothing in the wrong language', () => {
    const problems: string[] = [];
    for (const call of h.fake.calls) {
      if (call.error) continue;
      const where = `${call.method}${call.args.view?.callback_id ? ` ${call.args.view.callback_id}` : ''}`;
      for (const text of readable(call.method.startsWith('files.') ? { text: call.args.initial_comment } : call.args))
        problems.push(...problemsIn(locale, where, text));
    }
    for (const { where, body } of answers)
      for (const text of readable(body)) problems.push(...problemsIn(locale, where, text));
    for (const file of h.fake.sharedFiles()) {
      const csv = file.bytes!.subarray(3).toString('utf8');
      // The rows carry data typed in the team's language; the header row is the app's.
      problems.push(...problemsIn(locale, `${file.filename} header`, csv.split('\n')[0]!));
    }
    expect(problems).toEqual([]);
    // Enough was seen for the check to mean something: every kind of reminder, the digest, the wrap-up, the pool's
    // release.
    const t = messagesFor(locale);
    const seen = h.fake.calls
      .filter((c) => !c.error)
      .map((c) =>
        readable(c.args)
          .join('\n')
          .replace(/\u200B/g, ''),
      )
      .join('\n');
    const kinds = [
      t.nudge.title,
      t.checkIn.title,
      t.overdue.title,
      t.referral.contactTitle,
      t.referral.thanksTitle,
      t.promise.title,
      t.ambassador.title,
      t.cadence.title,
      t.pool.warningTitle,
      t.wrapUp.book,
      t.pool.claim,
      t.plan.brief,
      t.handover.confirm,
      t.settings.fields.nudgeChannel!,
    ];
    expect(kinds.filter((k) => !seen.includes(k))).toEqual([]);
    expect(seen).toContain(String(t.digest.title(5)).split('5')[1]!.trim().slice(0, 8));
    expect(
      h.fake.calls.filter((c) => !c.error && (c.method === 'chat.postMessage' || c.method === 'response_url')).length,
    ).toBeGreaterThan(60);
    expect(h.fake.calls.filter((c) => !c.error && c.method === 'views.open').length).toBeGreaterThan(15);
  });
});

/** Every string of a dictionary, functions called with numbers (1 and 2) and with a name of that language. */
function* dictionary(node: unknown, name: string, path: string[] = []): Generator<[string, string]> {
  if (typeof node === 'string') yield [path.join('.'), node];
  else if (typeof node === 'function') {
    for (const args of [Array(6).fill(1), Array(6).fill(2), Array(6).fill(name)])
      yield [path.join('.'), String(node(...args))];
  } else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) yield* dictionary(value, name, [...path, key]);
}

describe('the dictionaries', () => {
  it('hold English that reads as English, and Chinese that reads as Chinese', () => {
    expect(messagesFor('en')).toBe(en);
    const problems = [
      ...[...dictionary(en, 'Ann')]
        .filter(([path]) => path !== 'install.lang')
        .flatMap(([path, text]) => problemsIn('en', path, text)),
      ...[...dictionary(zh, '张三')]
        .filter(([path]) => path !== 'install.lang')
        .flatMap(([path, text]) => problemsIn('zh', path, text)),
    ];
    expect(problems).toEqual([]);
  });
});
