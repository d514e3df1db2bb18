import { ObjectId } from 'mongodb';
import { ACTION } from '../src/slack/ids.js';
import { createCard } from './support/flows.js';
import { findButton, Harness, TEAM_A, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ instances: 2, now: '2026-11-23T10:00:00+08:00' });
});

afterAll(async () => {
  await h.stop();
});

afterEach(() => {
  expect(h.fake.invalidPayloads).toEqual([]);
});

async function logVisit(name: string, fields: Record<string, unknown>, actor: Actor = TEAM_A) {
  const card = await h.command(name, actor);
  const { view } = await h.openModal(actor, findButton(card.args.blocks, ACTION.logVisit));
  const res = await h.submitView(actor, view, fields);
  if (res.body !== '') throw new Error(`visit refused: ${res.body}`);
}

describe('the visit modal’s 索要资料 checkbox', () => {
  it('is stored on the visit when ticked, and shows in the card’s history', async () => {
    const id = new ObjectId((await createCard(h, TEAM_A, { name: '资料客户' })).id);
    await logVisit('资料客户', { notes: '看了样册', materialRequested: true });
    await logVisit('资料客户', { notes: '再聊一次' });

    const visits = await h.db.collection('visits').find({ customerId: id }).sort({ createdAt: 1 }).toArray();
    expect(visits.map((v) => [v.notes, v.materialRequested])).toEqual([['看了样册', true], ['再聊一次', false]]);
    const card = await h.command('资料客户');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.history));
    const text = visibleText(view.blocks);
    expect(text.match(/索要资料/g)).toHaveLength(1);
    expect(text.indexOf('索要资料')).toBeGreaterThan(text.indexOf('看了样册'));
  });
});
