import fc from 'fast-check';
import { ObjectId } from 'mongodb';
import { migrate } from '../src/db/migrations.js';
import { SEARCH_KEYS_VERSION } from '../src/domain/lookup.js';
import { createModels } from '../src/models/index.js';
import { ACTION } from '../src/views/ids.js';
import { createCard, type CreatedCard } from './support/flows.js';
import { suggest, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

/** Each scenario works in a workspace of its own, so one scenario's cards never crowd another's results. */
const team = (teamId: string): Actor => ({ teamId, userId: `U${teamId}` });
const PINYIN = team('TPINYIN');
const RANKING = team('TRANKING');
const RANKING_LOOKALIKE = team('TLOOKALIKE');
const HOSTILE = team('THOSTILE');
const OLD = team('TOLD');

const h = useHarness({}, { checkLogs: true });
const cards: Record<string, CreatedCard> = {};

/** The options a type-ahead answered with, as [text, value] pairs. */
async function optionsFor(
  actor: Actor,
  value: string,
  privateMetadata?: string,
): Promise<{ text: string; value: string }[]> {
  const res = await suggest(h, actor, ACTION.cardPicker, value, privateMetadata);
  expect(res.status).toBe(200);
  return (res.json().options as { text: { type: string; text: string }; value: string }[]).map((o) => {
    expect(o.text.type).toBe('plain_text');
    expect([...o.text.text].length).toBeLessThanOrEqual(75);
    return { text: o.text.text, value: o.value };
  });
}

const valuesFor = async (actor: Actor, value: string, privateMetadata?: string) =>
  (await optionsFor(actor, value, privateMetadata)).map((o) => o.value);

beforeAll(async () => {
  cards.zhangSan = await createCard(h, PINYIN, { name: '张三', company: '华东贸易' });
  cards.wangWu = await createCard(h, PINYIN, { name: '王五', company: '华东贸易' });
  cards.liSi = await createCard(h, PINYIN, { name: '李四', company: '长江实业' });
  cards.zeng = await createCard(h, PINYIN, { name: '曾小贤' });
  cards.lv = await createCard(h, PINYIN, { name: '吕布' });

  // "zhang" matches each of these in a different way: the name exactly, a name's start, the pinyin, the company.
  cards.exact = await createCard(h, RANKING, { name: 'Zhang' });
  cards.prefix = await createCard(h, RANKING, { name: 'Zhang Wei' });
  cards.pinyin = await createCard(h, RANKING, { name: '张三' });
  cards.company = await createCard(h, RANKING, { name: '李四', company: 'Zhangjiang Trading' });
  cards.lookalike = await createCard(h, RANKING_LOOKALIKE, { name: 'Zhang' });

  cards.dotStar = await createCard(h, HOSTILE, { name: '.*' });
  cards.plain = await createCard(h, HOSTILE, { name: 'abc', company: 'regex 公司' });
});

describe('/card by pinyin and company', () => {
  it.each(['zhangsan', 'zs', 'ZS', 'Zhang San', 'ｚｈａｎｇｓａｎ'])('finds 张三 by %p', async (text) => {
    const shown = visibleText((await h.command(text, PINYIN)).args.blocks);
    expect(shown).toContain(cards.zhangSan!.number);
    expect(shown).toContain('华东贸易');
    expect(shown).not.toContain(cards.wangWu!.number);
  });

  it('reads a surname as a surname and ü as v', async () => {
    for (const text of ['zengxiaoxian', 'zxx'])
      expect(visibleText((await h.command(text, PINYIN)).args.blocks)).toContain(cards.zeng!.number);
    expect(visibleText((await h.command('lvbu', PINYIN)).args.blocks)).toContain(cards.lv!.number);
  });

  it("finds a company's cards by its name or its start", async () => {
    const all = visibleText((await h.command('华东贸易', PINYIN)).args.blocks);
    expect(all).toContain('有 2 张客户卡');
    expect(all).toContain(cards.zhangSan!.number);
    expect(all).toContain(cards.wangWu!.number);
    expect(visibleText((await h.command('长江', PINYIN)).args.blocks)).toContain(cards.liSi!.number);
  });

  it('takes a card with exactly the typed name as the answer', async () => {
    const shown = await h.command('zhang', RANKING);
    expect(visibleText(shown.args.blocks)).toContain(cards.exact!.number);
    expect(visibleText(shown.args.blocks)).not.toContain(cards.prefix!.number);
  });

  it('lists looser matches ranked: name start, then pinyin, then company', async () => {
    const shown = await h.command('zhan', RANKING);
    const listed = (shown.args.blocks as Record<string, any>[])
      .filter((b) => b.accessory?.action_id === ACTION.openCard)
      .map((b) => b.accessory.value);
    expect(listed).toEqual([cards.exact, cards.prefix, cards.pinyin, cards.company].map((c) => c!.id));
  });
});

describe('the card type-ahead', () => {
  it('ranks the exact name, then name start, then pinyin, then company', async () => {
    const options = await optionsFor(RANKING, 'zhang');
    expect(options.map((o) => o.value)).toEqual(
      [cards.exact, cards.prefix, cards.pinyin, cards.company].map((c) => c!.id),
    );
    expect(options[0]!.text).toBe(`Zhang · ${cards.exact!.number}`);
    expect(options[3]!.text).toBe(`李四 · ${cards.company!.number} · Zhangjiang Trading`);
  });

  it("answers from the typing user's workspace only", async () => {
    expect(await valuesFor(RANKING_LOOKALIKE, 'zhang')).toEqual([cards.lookalike!.id]);
    expect(await valuesFor(RANKING, 'zhang')).not.toContain(cards.lookalike!.id);
  });

  it('never offers the card being edited', async () => {
    const editing = JSON.stringify({ customerId: cards.pinyin!.id, version: 1 });
    expect(await valuesFor(RANKING, 'zhang', editing)).toEqual(
      [cards.exact, cards.prefix, cards.company].map((c) => c!.id),
    );
  });

  it.each([
    ['a card of another workspace', () => cards.lookalike!.id],
    ['a card that does not exist', () => new ObjectId().toHexString()],
    ['no card id at all', () => 'not-an-id'],
  ])('ignores metadata naming %s', async (_what, id) => {
    const before = await h.db.collection('customers').find().sort({ _id: 1 }).toArray();
    const values = await valuesFor(RANKING, 'zhang', JSON.stringify({ customerId: id() }));
    expect(values).toEqual([cards.exact, cards.prefix, cards.pinyin, cards.company].map((c) => c!.id));
    expect(await h.db.collection('customers').find().sort({ _id: 1 }).toArray()).toEqual(before);
  });

  it('offers nothing for empty or over-long text', async () => {
    expect(await optionsFor(RANKING, '')).toEqual([]);
    expect(await optionsFor(RANKING, '\u3000 ')).toEqual([]);
    expect(await optionsFor(RANKING, 'z'.repeat(65))).toEqual([]);
  });

  it('searches command words as names', async () => {
    const help = await createCard(h, team('THELP'), { name: 'Help' });
    expect(await valuesFor(team('THELP'), 'help')).toEqual([help.id]);
  });

  it.each(['.+', '^a', '{"$gt":""}', '$regex', '[a-z]', 'a|b'])(
    'matches %p literally: no card holds it',
    async (text) => {
      expect(await valuesFor(HOSTILE, text)).toEqual([]);
    },
  );

  it('finds names and companies that hold the typed characters', async () => {
    expect(await valuesFor(HOSTILE, '.*')).toEqual([cards.dotStar!.id]);
    expect(await valuesFor(HOSTILE, '.')).toEqual([cards.dotStar!.id]);
    expect(await valuesFor(HOSTILE, 'regex')).toEqual([cards.plain!.id]);
  });
});

describe('cards keyed before pinyin', () => {
  it('are re-keyed at boot and then found by pinyin and company', async () => {
    const customers = h.db.collection('customers');
    const template = await customers.findOne({ _id: new ObjectId(cards.liSi!.id) });
    const { pinyinKey: _p, initialsKey: _i, companyKey: _c, ...shape } = template!;
    const old = {
      ...shape,
      _id: new ObjectId(),
      teamId: OLD.teamId,
      number: 'KH-2026-0900',
      name: '赵六',
      nameKey: '赵六',
      company: '西南百货',
      searchKeysVersion: 2,
      version: 4,
    };
    await customers.insertOne(old);
    expect(await valuesFor(OLD, 'zhaoliu')).toEqual([]);

    await migrate(createModels(h.instances[0]!.app.connection), () => h.clock.now());

    expect(await customers.findOne({ _id: old._id })).toMatchObject({
      pinyinKey: 'zhaoliu',
      initialsKey: 'zl',
      companyKey: '西南百货',
      searchKeysVersion: SEARCH_KEYS_VERSION,
      version: 4,
    });
    for (const text of ['zhaoliu', 'zl', '西南']) expect(await valuesFor(OLD, text)).toEqual([old._id.toHexString()]);
    expect(visibleText((await h.command('zhaoliu', OLD)).args.blocks)).toContain('KH-2026-0900');
  });
});

describe('long names', () => {
  it('keep short keys and are still found by pinyin typed past their length', async () => {
    const actor = team('TLONG');
    const card = await createCard(h, actor, { name: '张'.repeat(12), company: '公'.repeat(60) });
    const saved = await h.db.collection('customers').findOne({ _id: new ObjectId(card.id) });
    expect(saved!.pinyinKey).toBe('zhang'.repeat(12).slice(0, 32));
    expect(saved!.initialsKey).toBe('z'.repeat(12));
    expect([...saved!.companyKey].length).toBe(32);
    expect(await valuesFor(actor, 'zhang'.repeat(12))).toEqual([card.id]);
    expect(await valuesFor(actor, '公'.repeat(40))).toEqual([card.id]);
  });
});

describe('editing a card', () => {
  it('re-keys its pinyin and company, dropping what it no longer has', async () => {
    const actor = team('TEDIT');
    const card = await createCard(h, actor, { name: '孙七', company: '东方电子' });
    const { view } = await h.openModal(actor, { action_id: ACTION.editCard, value: card.id });
    expect((await h.submitView(actor, view, { name: '周八', company: null })).status).toBe(200);
    expect(await valuesFor(actor, 'sunqi')).toEqual([]);
    expect(await valuesFor(actor, '东方')).toEqual([]);
    expect(await valuesFor(actor, 'zb')).toEqual([card.id]);
    const saved = await h.db.collection('customers').findOne({ _id: new ObjectId(card.id) });
    expect(saved).toMatchObject({ pinyinKey: 'zhouba', initialsKey: 'zb' });
    expect(saved).not.toHaveProperty('companyKey');
  });
});

/** Characters with one reading each, written down here rather than asked of the library under test. */
const READINGS: Record<string, string> = {
  张: 'zhang',
  王: 'wang',
  李: 'li',
  刘: 'liu',
  陈: 'chen',
  杨: 'yang',
  黄: 'huang',
  赵: 'zhao',
  吴: 'wu',
  周: 'zhou',
  徐: 'xu',
  孙: 'sun',
  马: 'ma',
  朱: 'zhu',
  胡: 'hu',
  林: 'lin',
  郭: 'guo',
  何: 'he',
  高: 'gao',
  罗: 'luo',
  伟: 'wei',
  芳: 'fang',
  娜: 'na',
  敏: 'min',
  静: 'jing',
  丽: 'li',
  强: 'qiang',
  磊: 'lei',
  军: 'jun',
  洋: 'yang',
  勇: 'yong',
  艳: 'yan',
  杰: 'jie',
  涛: 'tao',
  明: 'ming',
  霞: 'xia',
  平: 'ping',
  刚: 'gang',
  华: 'hua',
  吕: 'lv',
  女: 'nv',
  春: 'chun',
  梅: 'mei',
  兰: 'lan',
  秋: 'qiu',
  云: 'yun',
};

describe('any Chinese name', () => {
  it('is found by its full pinyin and by its initials', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...Object.keys(READINGS)), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        async (chars, spaced) => {
          const actor = team(`TPROP${++run}`);
          const card = await createCard(h, actor, { name: chars.join('') });
          const syllables = chars.map((c) => READINGS[c]!);
          expect(await valuesFor(actor, syllables.join(spaced ? ' ' : ''))).toEqual([card.id]);
          expect(
            await valuesFor(
              actor,
              syllables
                .map((s) => s[0])
                .join('')
                .toUpperCase(),
            ),
          ).toEqual([card.id]);
        },
      ),
      { numRuns: 15 },
    );
  });
});
