import fc from 'fast-check';
import { cutTo, referencedIds, slackToPlain } from '../src/domain/slackText.js';

const runs = Number(process.env.FUZZ_RUNS ?? 120);

/** What Slack does to text a person typed before it stores the message: `&`, `<` and `>` as entities. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Text as people type it, entity-like sequences and brackets included. */
const typed = fc.stringMatching(/^[\s\S]{0,60}$/).map((s) => s);
const tricky = fc
  .array(fc.constantFrom('&', '<', '>', '&amp;', '&lt;', 'amp;', '|', '@', '#', '!', '张三', 'a', ' ', '*'), {
    maxLength: 20,
  })
  .map((parts) => parts.join(''));
const userId = fc.stringMatching(/^U[A-Z0-9]{2,10}$/);
const channelId = fc.stringMatching(/^C[A-Z0-9]{2,10}$/);
const name = fc.constantFrom('张三', '李四', 'Ann Lee', 'bob', '王 五');
const label = fc.stringMatching(/^[A-Za-z0-9\u4e00-\u9fff ]{1,12}$/);
const url = fc.webUrl({ withQueryParameters: true }).filter((u) => !/[<>|]/.test(u));

describe('slackToPlain: a Slack message as a person reads it', () => {
  it('gives back exactly what was typed, whatever Slack escaped in it', () => {
    fc.assert(
      fc.property(fc.oneof(typed, tricky), (text) => {
        expect(slackToPlain(slackEscape(text))).toBe(text);
      }),
      { numRuns: runs },
    );
  });

  it('shows every mention by the person’s name, never as markup', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(typed, userId, name), { minLength: 1, maxLength: 5 }), (pieces) => {
        const names = new Map(pieces.map(([, id, n]) => [id, n]));
        const text = pieces.map(([before, id]) => `${slackEscape(before)}<@${id}>`).join('');
        const plain = slackToPlain(text, { users: names });
        expect(plain).toBe(pieces.map(([before, id]) => `${before}@${names.get(id)}`).join(''));
        expect(referencedIds(text).users.sort()).toEqual([...new Set(pieces.map(([, id]) => id))].sort());
      }),
      { numRuns: runs },
    );
  });

  it('shows a mention nobody could name by the label Slack gave, else by its id', () => {
    fc.assert(
      fc.property(userId, label, (id, given) => {
        expect(slackToPlain(`<@${id}|${given}>`)).toBe(`@${given}`);
        expect(slackToPlain(`<@${id}>`)).toBe(`@${id}`);
      }),
      { numRuns: runs },
    );
  });

  it('shows channels as #name: the label Slack gave, else the name looked up, else the id', () => {
    fc.assert(
      fc.property(channelId, label, (id, channel) => {
        expect(slackToPlain(`见 <#${id}|${channel}>`)).toBe(`见 #${channel}`);
        expect(slackToPlain(`<#${id}|>`, { channels: new Map([[id, 'sales']]) })).toBe('#sales');
        expect(slackToPlain(`<#${id}>`)).toBe(`#${id}`);
        expect(referencedIds(`<#${id}|${channel}> <#${id}>`).channels).toEqual([id]);
      }),
      { numRuns: runs },
    );
  });

  it('spells links out as “label (address)”, the address alone when it is the label', () => {
    fc.assert(
      fc.property(url, label, (address, text) => {
        const escaped = slackEscape(address);
        expect(slackToPlain(`<${escaped}|${slackEscape(text)}>`)).toBe(`${text} (${address})`);
        expect(slackToPlain(`<${escaped}>`)).toBe(address);
        expect(slackToPlain(`<${escaped}|${escaped}>`)).toBe(address);
      }),
      { numRuns: runs },
    );
    expect(slackToPlain('<mailto:zhang@example.com|zhang@example.com>')).toBe('zhang@example.com');
  });

  it('reads Slack’s special mentions as Slack shows them', () => {
    expect(slackToPlain('<!here> 开会 <!channel> <!everyone>')).toBe('@here 开会 @channel @everyone');
    expect(slackToPlain('<!subteam^S123|@sales> 注意')).toBe('@sales 注意');
    expect(slackToPlain('<!date^1700000000^{date_short}|Nov 14> 见')).toBe('Nov 14 见');
  });

  it('turns a real message back into readable text', () => {
    const text =
      '<@U1SELLER> 张总说下月要加单 &amp; 要报价 &lt;急&gt;，详见 <https://example.com/q?a=1&amp;b=2|报价单> 和 <#C1SALES|sales>';
    expect(slackToPlain(text, { users: new Map([['U1SELLER', '王销售']]) })).toBe(
      '@王销售 张总说下月要加单 & 要报价 <急>，详见 报价单 (https://example.com/q?a=1&b=2) 和 #sales',
    );
  });
});

describe('cutTo: a text kept within a field’s limit', () => {
  it('keeps every text within the limit, says whether it cut, and never halves a character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.integer({ min: 1, max: 60 }), (text, max) => {
        const cut = cutTo(text, max);
        expect(cut.text.length).toBeLessThanOrEqual(max);
        expect(cut.cut).toBe(text.length > max);
        expect(cut.length).toBe(text.length);
        expect(text.startsWith(cut.text)).toBe(true);
        if (cut.cut) expect(cut.text.length).toBeGreaterThanOrEqual(max - 1);
        const last = cut.text.charCodeAt(cut.text.length - 1);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }),
      { numRuns: runs },
    );
  });
});
