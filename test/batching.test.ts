import { eachBatchInFlight } from '../src/services/batching.js';

async function* numbers(count: number) {
  for (let i = 0; i < count; i++) yield i;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('batches in flight', () => {
  it('works on every batch, never more at once than asked', async () => {
    const done: number[] = [];
    let running = 0;
    let most = 0;
    await eachBatchInFlight(numbers(7), 2, async (n) => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      done.push(n);
    });
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });

  it('stops at the first failure, once the batch under way beside it is done, and starts no other', async () => {
    const started: number[] = [];
    let finished = 0;
    const run = eachBatchInFlight(numbers(7), 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error('batch 1 failed');
      await tick();
      finished++;
    });
    await expect(run).rejects.toThrow('batch 1 failed');
    expect(started).toEqual([0, 1]);
    expect(finished).toBe(1);
  });
});
