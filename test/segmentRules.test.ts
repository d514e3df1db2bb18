import fc from 'fast-check';
import { abcOf, rankCustomers, segmentOf, tierCutoffs, TIERS, type Standing } from '../src/domain/segments.js';

const standings = fc
  .array(
    fc.record({
      valueFen: fc.integer({ min: -1_000_00, max: 1_000_000_00 }),
      amountFen: fc.integer({ min: -1_000_00, max: 1_000_000_00 }),
    }),
    {
      minLength: 1,
      maxLength: 300,
    },
  )
  .map((rows) => rows.map((r, i): Standing => ({ id: `c${i}`, ...r })));

/** A few distinct values, so ties are common. */
const tied = fc
  .array(fc.constantFrom(0, 100, 500, 900), { minLength: 1, maxLength: 200 })
  .map((values) => values.map((v, i): Standing => ({ id: `c${i}`, valueFen: v, amountFen: v })));

const tierIndex = (tier: string) => TIERS.indexOf(tier as (typeof TIERS)[number]);

describe('tier cut-offs', () => {
  test('are the cumulative shares rounded up: 100 customers give 1, 5, 20; 7 give 1, 1, 2', () => {
    expect(tierCutoffs(100)).toEqual([1, 5, 20]);
    expect(tierCutoffs(7)).toEqual([1, 1, 2]);
    expect(tierCutoffs(1)).toEqual([1, 1, 1]);
    expect(tierCutoffs(200)).toEqual([2, 10, 40]);
  });

  test('a team of 7 with distinct profits has exactly one 顶级, no 大, one 中, five 小', () => {
    const seven = [70, 60, 50, 40, 30, 20, 10].map((v, i) => ({ id: `c${i}`, valueFen: v, amountFen: v }));
    const tiers = [...rankCustomers(seven).values()].map((r) => r.tier);
    expect(tiers).toEqual(['top', 'medium', 'small', 'small', 'small', 'small', 'small']);
  });
});

describe('ranking properties', () => {
  test('any team with a current customer has a 顶级 one, and the best customer is 顶级 and A', () => {
    fc.assert(
      fc.property(standings, (rows) => {
        const ranked = rankCustomers(rows);
        const best = rows.reduce((a, b) => (b.valueFen > a.valueFen ? b : a));
        expect(ranked.get(best.id)!.tier).toBe('top');
        const biggest = rows.reduce((a, b) => (b.amountFen > a.amountFen ? b : a));
        if (biggest.amountFen > 0) expect(ranked.get(biggest.id)!.abc).toBe('A');
      }),
    );
  });

  test('more value never means a lower tier, more amount never a lower class', () => {
    fc.assert(
      fc.property(standings, (rows) => {
        const ranked = rankCustomers(rows);
        for (const a of rows)
          for (const b of rows) {
            if (a.valueFen > b.valueFen)
              expect(tierIndex(ranked.get(a.id)!.tier)).toBeLessThanOrEqual(tierIndex(ranked.get(b.id)!.tier));
            if (a.amountFen > b.amountFen) expect(ranked.get(a.id)!.abc <= ranked.get(b.id)!.abc).toBe(true);
          }
      }),
      { numRuns: 50 },
    );
  });

  test('ties never split, and the input order never changes a result', () => {
    fc.assert(
      fc.property(
        tied.chain((rows) =>
          fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length })),
        ),
        ([rows, shuffled]) => {
          const ranked = rankCustomers(rows);
          const again = rankCustomers(shuffled);
          for (const a of rows) {
            expect(again.get(a.id)).toEqual(ranked.get(a.id));
            for (const b of rows) if (a.valueFen === b.valueFen) expect(ranked.get(a.id)).toEqual(ranked.get(b.id));
          }
        },
      ),
    );
  });

  test('without ties, each ranked tier holds exactly its rounded-up share', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 500 }),
        (values) => {
          const rows = values.map((v, i) => ({ id: `c${i}`, valueFen: v, amountFen: v }));
          const counts = new Map<string, number>();
          for (const r of rankCustomers(rows).values()) counts.set(r.tier, (counts.get(r.tier) ?? 0) + 1);
          const [top, large, medium] = tierCutoffs(rows.length);
          expect(counts.get('top') ?? 0).toBe(top);
          expect(counts.get('large') ?? 0).toBe(large! - top!);
          expect(counts.get('medium') ?? 0).toBe(medium! - large!);
          expect(counts.get('small') ?? 0).toBe(rows.length - medium!);
        },
      ),
    );
  });

  test('class A covers at least 80 % of the amount and B with it at least 95 %', () => {
    fc.assert(
      fc.property(standings, (rows) => {
        const ranked = rankCustomers(rows);
        const total = rows.reduce((s, r) => s + Math.max(0, r.amountFen), 0);
        const share = (classes: string[]) =>
          rows.filter((r) => classes.includes(ranked.get(r.id)!.abc)).reduce((s, r) => s + Math.max(0, r.amountFen), 0);
        expect(share(['A']) * 100).toBeGreaterThanOrEqual(80 * total);
        expect(share(['A', 'B']) * 100).toBeGreaterThanOrEqual(95 * total);
      }),
    );
  });
});

describe('ABC boundaries', () => {
  test('the customer crossing 80 % is A; the one starting at 80 % is B; at 95 % C', () => {
    expect(abcOf(79, 100)).toBe('A');
    expect(abcOf(80, 100)).toBe('B');
    expect(abcOf(94, 100)).toBe('B');
    expect(abcOf(95, 100)).toBe('C');
  });
});

describe('segment from the card', () => {
  test('stored segments win; otherwise a logged contact makes 潜在, none 疑虑', () => {
    expect(segmentOf({ segment: 'current' })).toBe('current');
    expect(segmentOf({ segment: 'inactive', lastContactDate: '2026-01-01' })).toBe('inactive');
    expect(segmentOf({ lastContactDate: '2026-01-01' })).toBe('potential');
    expect(segmentOf({})).toBe('doubtful');
  });
});
