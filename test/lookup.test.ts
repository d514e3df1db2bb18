import fc from 'fast-check';
import { ObjectId } from 'mongodb';
import { migrate } from '../src/db/migrations.js';
import { nameKey, parseLookup, phoneKey, SEARCH_KEYS_VERSION } from '../src/domain/lookup.js';
import { createModels } from '../src/models/index.js';
import { ACTION } from '../src/views/ids.js';
import { createCard } from './support/flows.js';
import { findButton, TEAM_A, TEAM_B, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness();

beforeAll(async () => {
  await createCard(h, TEAM_A, { name: '张三', company: '华东贸易', phone: '138 0013 8000' });
  await createCard(h, TEAM_A, { name: '张三', company: '西南百货', region: '成都' });
  await createCard(h, TEAM_A, { name: '张三丰', company: '武当山庄' });
  await createCard(h, TEAM_A, { name: 'Li Lei', phone: '+86 139-0000-1111' });
});

describe('/card help', () => {
  it.each(['', 'help', '帮助', '  HELP  '])('shows usage for %p', async (text) => {
    const reply = await h.command(text);
    expect(reply.args.response_type).toBe('ephemeral');
    expect(visibleText(reply.args.blocks)).toContain('/card 张三');
    expect(visibleText(reply.args.blocks)).toContain('KH-2026-0001');
  });
});

describe('/card lookup', () => {
  it('shows the one card that matches a name exactly', async () => {
    const reply = await h.command('张三丰');
    const text = visibleText(reply.args.blocks);
    expect(text).toContain('张三丰');
    expect(text).toContain('KH-2026-0003');
    expect(text).toContain('武当山庄');
    expect(text).toMatch(/资料完整度 \d+%/);
    for (const action of [ACTION.editCard, ACTION.logVisit, ACTION.history]) findButton(reply.args.blocks, action);
  });

  it('lists cards with the same name and opens the one picked', async () => {
    const reply = await h.command('张三');
    const text = visibleText(reply.args.blocks);
    expect(text).toContain('「张三」有 2 张客户卡');
    expect(text).toContain('华东贸易');
    expect(text).toContain('西南百货');
    expect(text).not.toContain('张三丰');

    const rows = (reply.args.blocks as Record<string, any>[]).filter((b) => b.accessory?.action_id === ACTION.openCard);
    const westRow = rows.find((b) => b.text.text.includes('西南百货'))!;
    const before = h.fake.mark();
    const click = await h.clickButton(
      TEAM_A,
      { ...westRow.accessory, block_id: westRow.block_id },
      { responseUrl: reply.responseUrl },
    );
    expect(click.status).toBe(200);
    const shown = await h.fake.waitForResponse(reply.responseUrl, before);
    expect(shown.args.replace_original).toBe(true);
    expect(visibleText(shown.args.blocks)).toContain('成都');
  });

  it('falls back to names that start with the text', async () => {
    const reply = await h.command('张');
    const text = visibleText(reply.args.blocks);
    expect(text).toContain('有 3 张客户卡');
    expect(text).toContain('张三丰');
  });

  it('finds by phone whatever the separators', async () => {
    expect(visibleText((await h.command('13800138000')).args.blocks)).toContain('华东贸易');
    expect(visibleText((await h.command('+86 139 0000 1111')).args.blocks)).toContain('Li Lei');
  });

  it('finds by card number, in any case', async () => {
    const reply = await h.command('kh-2026-0002');
    expect(visibleText(reply.args.blocks)).toContain('西南百货');
  });

  it('matches names case-insensitively', async () => {
    expect(visibleText((await h.command('li lei')).args.blocks)).toContain('KH-2026-0004');
  });

  it('trims full-width and ordinary spaces around the text', async () => {
    const reply = await h.command('\u3000 张三丰\u3000\u3000');
    expect(visibleText(reply.args.blocks)).toContain('KH-2026-0003');
  });

  it('offers to create the card when nothing matches, with the name filled in', async () => {
    const reply = await h.command('王五');
    expect(visibleText(reply.args.blocks)).toContain('没有找到「王五」的客户卡');
    const button = findButton(reply.args.blocks, ACTION.newCard);
    const { view } = await h.openModal(TEAM_A, button, { responseUrl: reply.responseUrl });
    const nameBlock = view.blocks.find((b: Record<string, any>) => b.block_id === 'name');
    expect(nameBlock.element.initial_value).toBe('王五');
    expect(view.title.text).toBe('新建客户卡');
  });

  it('prefills the phone, not the name, when an unknown phone number was looked up', async () => {
    const reply = await h.command('021-5555 0000');
    const { view } = await h.openModal(TEAM_A, findButton(reply.args.blocks, ACTION.newCard));
    expect(view.blocks.find((b: Record<string, any>) => b.block_id === 'phone').element.initial_value).toBe(
      '021-5555 0000',
    );
    expect(view.blocks.find((b: Record<string, any>) => b.block_id === 'name').element.initial_value).toBeUndefined();
  });
});

describe('/card with hostile or odd input', () => {
  it.each([['.*'], ['张.*'], ['^张'], ['{"$gt":""}'], ['$where'], ['😀']])(
    'treats %p as plain text and finds nothing',
    async (text) => {
      const reply = await h.command(text);
      expect(visibleText(reply.args.blocks)).toContain(`没有找到「${text}」的客户卡`);
      expect(await h.db.collection('customers').countDocuments()).toBe(4);
    },
  );

  it('refuses over-long text with a clear message and no database work', async () => {
    const reply = await h.command('张'.repeat(500));
    const text = visibleText(reply.args.blocks);
    expect(text).toContain('查找内容太长了：最多 64 个字符');
    expect(JSON.stringify(reply.args.blocks)).not.toContain(ACTION.newCard);
  });

  it('escapes mrkdwn in echoed text so it cannot ping a channel', async () => {
    const reply = await h.command('<!channel> hi');
    expect(JSON.stringify(reply.args.blocks)).toContain('&lt;!channel&gt; hi');
  });
});

describe('workspace isolation', () => {
  it("never shows another workspace's card", async () => {
    const reply = await h.command('张三', TEAM_B);
    expect(visibleText(reply.args.blocks)).toContain('没有找到「张三」的客户卡');
    expect(visibleText((await h.command('KH-2026-0001', TEAM_B)).args.blocks)).toContain('没有找到');
  });

  it("refuses to open another workspace's card by id", async () => {
    const own = await h.command('张三丰');
    const edit = findButton(own.args.blocks, ACTION.editCard);
    const opensBefore = h.fake.accepted('views.open').length;
    const click = await h.clickButton(TEAM_B, edit);
    const reply = await h.fake.waitForResponse(click.responseUrl);
    expect(visibleText(reply.args.blocks)).toContain('这张客户卡不存在或不属于本工作区');
    expect(h.fake.accepted('views.open')).toHaveLength(opensBefore);
  });

  it('numbers cards per workspace', async () => {
    const other = await createCard(h, TEAM_B, { name: '张三' });
    expect(other.number).toBe('KH-2026-0001');
    expect(visibleText((await h.command('张三', TEAM_B)).args.blocks)).toContain('KH-2026-0001');
    expect(visibleText((await h.command('张三', TEAM_A)).args.blocks)).toContain('有 2 张客户卡');
  });
});

// Runs after the blocks above, which count the four cards made in beforeAll.
describe('/card forgives how people type', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, { name: '周八', company: '八方物流', phone: '138 0000 6666' });
    await createCard(h, TEAM_A, { name: '张 三', company: '东北商行' });
    await createCard(h, TEAM_A, { name: '吴九', company: '京城饭庄', phone: '010-8888 6666' });
    await createCard(h, TEAM_A, { name: '郑十', company: '短号商店', phone: '8688886666' });
  });

  it.each([
    '138.0000.6666',
    '138/0000/6666',
    '(138) 0000-6666',
    '+86 138 0000 6666',
    '0086-13800006666',
    '8613800006666',
    '+86.138.0000.6666',
  ])('finds the mobile 138 0000 6666 by %p', async (text) => {
    expect(visibleText((await h.command(text)).args.blocks)).toContain('八方物流');
  });

  it('saves a phone typed with dots as people write it, and finds it by any form', async () => {
    await createCard(h, TEAM_A, { name: '钱十一', phone: '139.2222.3333' });
    expect(visibleText((await h.command('+86 139 2222 3333')).args.blocks)).toContain('钱十一');
  });

  it('finds a card saved with +86 by the bare mobile number', async () => {
    expect(visibleText((await h.command('13900001111')).args.blocks)).toContain('KH-2026-0004');
  });

  it('keeps a landline and a short number after 86 as dialled', async () => {
    expect(visibleText((await h.command('010.8888.6666')).args.blocks)).toContain('京城饭庄');
    expect(visibleText((await h.command('86-8888-6666')).args.blocks)).toContain('短号商店');
    expect(visibleText((await h.command('8888 6666')).args.blocks)).toContain('没有找到「8888 6666」的客户卡');
    expect(phoneKey('+86 10 8888 6666')).toBe('861088886666');
  });

  it.each(['张 三', '张三', '张\u3000三', ' 张  三 '])(
    'ignores spaces inside the name %p, both typed and saved',
    async (text) => {
      const shown = visibleText((await h.command(text)).args.blocks);
      expect(shown).toContain('有 3 张客户卡');
      for (const company of ['华东贸易', '西南百货', '东北商行']) expect(shown).toContain(company);
      expect(shown).not.toContain('武当山庄');
    },
  );

  it.each(['kh-2026-1', 'KH 2026 1', 'kh2026-0001', 'Kh-2026-00001'])('finds KH-2026-0001 by %p', async (text) => {
    expect(visibleText((await h.command(text)).args.blocks)).toContain('华东贸易');
  });

  it('does not read a year glued to its sequence as a card number', async () => {
    expect(parseLookup('kh20261').kind).toBe('name');
  });
});

describe('lookup keys', () => {
  const separator = fc.constantFrom(' ', '.', '-', '/', '(', ')', '');
  const mobile = fc
    .tuple(fc.constant('1'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }))
    .map(([first, rest]) => first + rest.join(''));

  it('gives every way of writing one mobile the same phone key', () => {
    fc.assert(
      fc.property(
        mobile,
        fc.constantFrom('', '+86', '0086', '86', '+86 ', '0086-'),
        fc.array(separator, { minLength: 12, maxLength: 12 }),
        (digits, prefix, seps) => {
          const written = prefix + [...digits].map((d, i) => seps[i] + d).join('') + seps[11];
          expect(phoneKey(written)).toBe(digits);
          const request = parseLookup(written);
          if (request.kind === 'phone') expect(request.phoneKey).toBe(digits);
        },
      ),
    );
  });

  it('makes a name key that is its own key', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.constantFrom('A', 'e', ' ', '\u3000', '\u0301', '\u00a8', 'İ', 'ﬀ') }),
        ),
        (name) => {
          const key = nameKey(name);
          expect(nameKey(key)).toBe(key);
          expect(key).not.toMatch(/\s/);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parses any text without throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 80 }),
          fc.string({ unit: 'binary', maxLength: 80 }),
          fc.string({ unit: fc.constantFrom('k', 'H', '-', ' ', '2', '0', '6', '1', '+', '.', '/') }),
        ),
        (text) => {
          expect(() => parseLookup(text)).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('re-keying cards saved by earlier releases', () => {
  it('re-keys old cards at boot so the new lookups find them, leaving their version alone', async () => {
    const customers = h.db.collection('customers');
    const template = await customers.findOne({ teamId: TEAM_A.teamId, number: 'KH-2026-0003' });
    const { searchKeysVersion: _dropped, ...shape } = template!;
    const noVersion = {
      ...shape,
      _id: new ObjectId(),
      number: 'KH-2026-0900',
      name: '李 四',
      nameKey: '李 四',
      phone: '+86 137 0000 5555',
      phoneKey: '8613700005555',
      version: 3,
    };
    const versionOne = {
      ...shape,
      _id: new ObjectId(),
      number: 'KH-2026-0901',
      name: '钱 七',
      nameKey: '钱 七',
      searchKeysVersion: 1,
    };
    await customers.insertMany([noVersion, versionOne]);
    expect(visibleText((await h.command('李四')).args.blocks)).toContain('没有找到「李四」的客户卡');

    await migrate(createModels(h.instances[0]!.app.connection), () => h.clock.now());

    expect(visibleText((await h.command('李四')).args.blocks)).toContain('KH-2026-0900');
    expect(visibleText((await h.command('13700005555')).args.blocks)).toContain('KH-2026-0900');
    expect(visibleText((await h.command('钱七')).args.blocks)).toContain('KH-2026-0901');
    expect(await customers.findOne({ _id: noVersion._id })).toMatchObject({
      nameKey: '李四',
      phoneKey: '13700005555',
      searchKeysVersion: SEARCH_KEYS_VERSION,
      version: 3,
    });
    expect(await customers.countDocuments({ searchKeysVersion: { $ne: SEARCH_KEYS_VERSION } })).toBe(0);
  });
});
