import { parse } from 'csv-parse/sync';
import { ACTION } from '../src/views/ids.js';
import { createCard, recordReferral } from './support/flows.js';
import { findButton, TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * 客户类别: the segment computed from sales, contacts and referrals is the one
 * category the card, the brief, Home and the export show; the form no longer
 * asks for one, and a card opened with a hand-chosen status that the records
 * do not bear out says why it reads otherwise.
 */
const h = useHarness({ env: { ADMIN_USER_IDS: TEAM_A.userId } });

async function exportedRow(name: string): Promise<Record<string, string>> {
  const before = h.fake.mark();
  await h.command('export');
  const completion = await h.fake.waitFor('files.completeUploadExternal', () => true, before);
  const file = h.fake.sharedFiles().find((f) => f.id === (completion.args.files as { id: string }[])[0]!.id)!;
  const rows: string[][] = parse(file.bytes!.subarray(3).toString('utf8'));
  const row = rows.find((r) => r.includes(name))!;
  return Object.fromEntries(rows[0]!.map((label, i) => [label, row[i]!]));
}

describe('the create and edit form', () => {
  it('asks for no category and says how it is worked out; an edit says what it is now', async () => {
    const { view } = await h.openModal(TEAM_A, { action_id: ACTION.newCard, value: JSON.stringify({ name: '新客' }) });
    expect(view.blocks.some((b: Record<string, any>) => b.block_id === 'status')).toBe(false);
    expect(visibleText(view.blocks)).toContain('客户类别由系统按记录计算');
    expect(visibleText(view.blocks)).toContain('用「记录交易」补记最近一笔交易');

    const created = await createCard(h, TEAM_A, { name: '编辑看类别' });
    const edit = await h.openModal(TEAM_A, findButton(created.shown.args.blocks, ACTION.editCard));
    expect(visibleText(edit.view.blocks)).toContain('当前客户类别：*疑虑客户*');
  });
});

describe('a referred prospect', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, { name: '推荐人甲' });
    await recordReferral(h, TEAM_A, '推荐人甲', '被推荐乙');
  });

  it('is 潜在客户 on the card, the brief, Home and in the export, as the README says', async () => {
    expect(visibleText((await h.command('被推荐乙')).args.blocks)).toContain('潜在客户');
    expect(visibleText((await h.command('brief 被推荐乙')).args.blocks)).toContain('潜在客户');
    expect(visibleText((await h.openHome(TEAM_A)).blocks)).toMatch(/潜在客户 1\b/);
    expect((await exportedRow('被推荐乙'))['客户分层']).toBe('潜在客户');
  });
});

describe('a card opened as 现有客户 by an earlier version, with no sale recorded', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, { name: '老客户丙' });
    await h.db.collection('customers').updateOne({ teamId: 'T1', name: '老客户丙' }, { $set: { status: 'current' } });
  });

  it('reads 疑虑客户 with the reason and what updates it, on the card and the brief', async () => {
    for (const reply of [await h.command('老客户丙'), await h.command('brief 老客户丙')]) {
      const text = visibleText(reply.args.blocks);
      expect(text).toContain('疑虑客户');
      expect(text).toContain('建卡时选的客户类别是「现有客户」');
      expect(text).toContain('补记最近一笔交易或一次联系后即会更新');
    }
  });
});
