import { createCard, recordSale } from './support/flows.js';
import { TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({ now: '2026-11-23T08:00:00+08:00', env: { FINANCE_USER_ID: 'UFINANCE' } });

const letters = (name: string) =>
  h.fake
    .accepted('chat.postMessage')
    .filter((c) => c.args.text.includes(name) && visibleText(c.args.blocks).includes('逾期催款'))
    .map((c) => /第 (\d) 级催款函/.exec(visibleText(c.args.blocks))?.[1]);

describe('a small debt long overdue', () => {
  it('gets a firmer letter every repeat, up to the third, each nudge a week after the last', async () => {
    // ¥500 due 2026-10-24: 30 days overdue on 11-23, which is "long" by the default matrix.
    await createCard(h, TEAM_A, { name: '催款函客户' });
    await recordSale(h, TEAM_A, '催款函客户', {
      product: '货款',
      amountFen: '500',
      date: '2026-10-01',
      dueDate: '2026-10-24',
      paidInFull: false,
    });
    for (const day of ['2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14'])
      await h.scanAt(`${day}T09:00:00+08:00`, 2);
    expect(letters('催款函客户')).toEqual(['1', '2', '3', '3']);
  });
});
