import { ACTION } from '../src/views/ids.js';
import { createCard } from './support/flows.js';
import { findButton, TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({ env: { DEFAULT_LOCALE: 'en', DEFAULT_TIMEZONE: 'America/New_York' } });

it('speaks English and uses the configured time zone when the team is set up so', async () => {
  expect(visibleText((await h.command('help')).args.blocks)).toContain('finds a card by name');
  expect(visibleText((await h.command('Nobody')).args.blocks)).toContain('No card found for “Nobody”.');

  const card = await createCard(h, TEAM_A, { name: 'Ann', creditLimitFen: '1200' });
  expect(visibleText(card.shown.args.blocks)).toContain('Card');
  const { view } = await h.openModal(TEAM_A, findButton(card.shown.args.blocks, ACTION.logVisit));
  expect(view.title.text).toBe('Log a visit');
  // 10:00 in Shanghai on 23 Nov is 21:00 on 22 Nov in New York.
  expect(view.blocks.find((b: Record<string, any>) => b.block_id === 'date').element.initial_date).toBe('2026-11-22');
  const res = await h.submitView(TEAM_A, view, { date: '2026-11-23' });
  expect(res.json().errors).toEqual({ date: 'The date cannot be after today.' });
});
