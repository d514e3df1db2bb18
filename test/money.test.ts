import fc from 'fast-check';
import { domain } from '../src/config/domain.js';
import { collectionQuadrant, daysOverdue } from '../src/domain/collection.js';
import { formatFen, parseAmount } from '../src/domain/money.js';
import {
  allocatePayment,
  checkInDate,
  creditCheck,
  defaultDueDate,
  type OpenReceivable,
} from '../src/domain/settlement.js';
import { addDays } from '../src/time.js';

describe('parseAmount', () => {
  it.each([
    ['12800', 12_800_00],
    ['12,800.50', 12_800_50],
    ['12，800', 12_800_00],
    ['¥12800', 12_800_00],
    ['￥12800', 12_800_00],
    ['12800元', 12_800_00],
    ['¥12,800.5元', 12_800_50],
    ['1.28万', 12_800_00],
    ['1.2万元', 12_000_00],
    ['¥1.28万', 12_800_00],
    ['3万', 30_000_00],
    ['1,234.5万', 12_345_000_00],
    ['1.234567万', 12_345_67],
    ['  12800  ', 12_800_00],
    ['¥ 12 800 元', 12_800_00],
    ['\u300012800\u3000', 12_800_00],
    ['１２８００', 12_800_00],
    ['１２，８００．５', 12_800_50],
    ['0.01', 1],
    ['0.5', 50],
    ['012800', 12_800_00],
    ['100,000,000', 100_000_000_00],
  ])('reads %j as %p fen', (input, fen) => {
    expect(parseAmount(input)).toEqual({ ok: true, fen });
  });

  it.each([
    ['', 'format'],
    ['   ', 'format'],
    ['abc', 'format'],
    ['1e5', 'format'],
    ['12.800.5', 'format'],
    ['-5', 'format'],
    ['+5', 'format'],
    ['0x10', 'format'],
    ['Infinity', 'format'],
    ['NaN', 'format'],
    ['¥', 'format'],
    ['万', 'format'],
    ['12.', 'format'],
    ['.5', 'format'],
    ['1,2345', 'format'],
    ['12,80', 'format'],
    [',128', 'format'],
    ['12800¥', 'format'],
    ['元12800', 'format'],
    ['12800万¥', 'format'],
    ['12800元万', 'format'],
    ['1.5.万', 'format'],
    ['1万万', 'format'],
    ['12.345', 'tooManyDecimals'],
    ['12.800', 'tooManyDecimals'],
    ['0.001', 'tooManyDecimals'],
    ['1.2345678万', 'tooManyDecimals'],
    ['0', 'notPositive'],
    ['0.00', 'notPositive'],
    ['¥0元', 'notPositive'],
    ['0万', 'notPositive'],
    ['000', 'notPositive'],
    ['100000000.01', 'tooLarge'],
    ['10000.0001万', 'tooLarge'],
    ['1000000000', 'tooLarge'],
    ['99999999999999999999999999999999', 'tooLarge'],
  ])('refuses %j as %s', (input, reason) => {
    expect(parseAmount(input)).toEqual({ ok: false, reason });
  });

  it('takes exactly ¥100,000,000.00, however it is written', () => {
    for (const input of ['100000000', '¥100,000,000.00元', '10000万', '10,000.000000万', '0000100000000.00']) {
      expect(parseAmount(input)).toEqual({ ok: true, fen: domain.money.maxFen });
    }
  });

  /** Full-width digits, as a Chinese IME types them. */
  const fullWidth = (s: string): string => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

  /** The amount in 万 with as few decimals as it needs, written without arithmetic on floats. */
  function inWan(fen: number): string {
    const digits = String(fen).padStart(7, '0');
    const fraction = digits.slice(-6).replace(/0+$/, '');
    return `${digits.slice(0, -6)}${fraction ? `.${fraction}` : ''}万`;
  }

  const amountFen = fc.integer({ min: 1, max: domain.money.maxFen });

  it('reads back any amount formatted with commas, ¥/￥, 元, 万, spaces or full-width digits', () => {
    fc.assert(
      fc.property(
        amountFen,
        fc.record({
          wan: fc.boolean(),
          currency: fc.constantFrom('¥', '￥', ''),
          unit: fc.constantFrom('元', ''),
          commas: fc.constantFrom(',', '，', ''),
          fullWidthDigits: fc.boolean(),
          padding: fc.constantFrom('', ' ', '\u3000', '\t'),
        }),
        (fen, style) => {
          const number = style.wan ? inWan(fen) : formatFen(fen).replace('¥', '').replaceAll(',', style.commas);
          const written = `${style.padding}${style.currency}${number}${style.unit}${style.padding}`;
          expect(parseAmount(style.fullWidthDigits ? fullWidth(written) : written)).toEqual({ ok: true, fen });
        },
      ),
    );
  });

  /** Either a refusal or a whole, positive fen amount no larger than maxFen. */
  function expectSoundResult(input: string): void {
    const result = parseAmount(input);
    if (result.ok) {
      expect(Number.isSafeInteger(result.fen)).toBe(true);
      expect(result.fen).toBeGreaterThan(0);
      expect(result.fen).toBeLessThanOrEqual(domain.money.maxFen);
    } else {
      expect(['format', 'tooManyDecimals', 'notPositive', 'tooLarge']).toContain(result.reason);
    }
  }

  it('never throws and never returns a fraction of a fen, on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), expectSoundResult), { numRuns: 2000 });
  });

  it('never throws and never returns a fraction of a fen, on strings that nearly look like amounts', () => {
    const nearAmount = fc.string({ unit: fc.constantFrom(...'0123456789０９,，..．¥￥元万 -+e'), maxLength: 24 });
    fc.assert(fc.property(nearAmount, expectSoundResult), { numRuns: 5000 });
  });
});

describe('collection matrix', () => {
  it.each([
    ['2024-03-01', '2024-03-01', 0],
    ['2024-03-01', '2024-02-28', -2],
    ['2024-03-01', '2024-03-02', 1],
    ['2024-01-31', '2024-03-01', 30],
    ['2024-01-31', '2024-02-29', 29],
    ['2023-12-31', '2024-01-01', 1],
    ['2024-03-09', '2024-03-11', 2],
    ['2024-10-26', '2024-10-28', 2],
    // Midnights that never happened in São Paulo and Tehran (daylight saving began at 00:00).
    ['2018-11-04', '2018-11-05', 1],
    ['2000-03-21', '2000-03-23', 2],
  ])('due %s, today %s: %i days overdue', (due, today, days) => {
    expect(daysOverdue(due, today)).toBe(days);
  });

  it('counts every calendar day, across month ends, leap days and daylight saving changes', () => {
    const anyDate = fc.integer({ min: 0, max: 40 * 366 }).map((n) => addDays('2000-01-01', n));
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -800, max: 800 }), (due, days) => {
        expect(daysOverdue(due, addDays(due, days))).toBe(days);
      }),
    );
  });

  it.each([
    [29, 9_999_99, 'shortSmall'],
    [29, 10_000_00, 'shortLarge'],
    [30, 9_999_99, 'longSmall'],
    [30, 10_000_00, 'longLarge'],
    [0, 1, 'shortSmall'],
    [365, 1_000_000_00, 'longLarge'],
  ] as const)('%i days and %i fen overdue is %s', (days, fen, quadrant) => {
    expect(collectionQuadrant(days, fen, { longAfterDays: 30, largeFromFen: 10_000_00, repeatEveryDays: 7 })).toBe(
      quadrant,
    );
  });
});

describe('allocatePayment', () => {
  const receivables: OpenReceivable[] = [
    { id: 'r3', dueDate: '2024-03-01', outstandingFen: 500 },
    { id: 'r1', dueDate: '2024-01-15', outstandingFen: 300 },
    { id: 'r2b', dueDate: '2024-02-01', outstandingFen: 200 },
    { id: 'r2a', dueDate: '2024-02-01', outstandingFen: 100 },
    { id: 'r0', dueDate: '2024-01-01', outstandingFen: 0 },
  ];

  it.each([
    [250, [{ id: 'r1', fen: 250 }]],
    [300, [{ id: 'r1', fen: 300 }]],
    [
      450,
      [
        { id: 'r1', fen: 300 },
        { id: 'r2a', fen: 100 },
        { id: 'r2b', fen: 50 },
      ],
    ],
    [
      1100,
      [
        { id: 'r1', fen: 300 },
        { id: 'r2a', fen: 100 },
        { id: 'r2b', fen: 200 },
        { id: 'r3', fen: 500 },
      ],
    ],
  ])('settles %i fen oldest due date first, ties by id', (amount, allocations) => {
    expect(allocatePayment(receivables, amount)).toEqual({ ok: true, allocations });
  });

  it('refuses one fen more than everything outstanding', () => {
    expect(allocatePayment(receivables, 1101)).toEqual({ ok: false, reason: 'overpayment', outstandingFen: 1100 });
    expect(allocatePayment([], 1)).toEqual({ ok: false, reason: 'overpayment', outstandingFen: 0 });
  });

  it('puts the whole payment on a picked receivable, up to what it owes', () => {
    expect(allocatePayment(receivables, 500, 'r3')).toEqual({ ok: true, allocations: [{ id: 'r3', fen: 500 }] });
    expect(allocatePayment(receivables, 501, 'r3')).toEqual({ ok: false, reason: 'overpayment', outstandingFen: 500 });
    expect(allocatePayment(receivables, 1, 'r0')).toEqual({ ok: false, reason: 'overpayment', outstandingFen: 0 });
    expect(allocatePayment(receivables, 1, 'nope')).toEqual({ ok: false, reason: 'unknownReceivable' });
  });

  it('refuses an amount that is not a positive whole number of fen', () => {
    for (const amount of [0, -1, 1.5, Number.NaN])
      expect(() => allocatePayment(receivables, amount)).toThrow(RangeError);
  });

  const openReceivables = fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      dueDate: fc.integer({ min: 0, max: 60 }).map((n) => addDays('2024-01-01', n)),
      outstandingFen: fc.integer({ min: 0, max: 1_000_000 }),
    }),
    { selector: (r) => r.id, maxLength: 12 },
  );

  it('settles exactly the amount, never past what is owed, oldest first; refuses exactly the overpayments', () => {
    fc.assert(
      fc.property(openReceivables, fc.integer({ min: 1, max: 13_000_000 }), (open, amount) => {
        const total = open.reduce((sum, r) => sum + r.outstandingFen, 0);
        const result = allocatePayment(open, amount);
        if (amount > total) {
          expect(result).toEqual({ ok: false, reason: 'overpayment', outstandingFen: total });
          return;
        }
        if (!result.ok) throw new Error(`refused ${amount} of ${total}: ${result.reason}`);
        expect(result.allocations.reduce((sum, a) => sum + a.fen, 0)).toBe(amount);
        const paid = new Map(result.allocations.map((a) => [a.id, a.fen]));
        expect(paid.size).toBe(result.allocations.length);
        const byAge = [...open].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || (a.id < b.id ? -1 : 1));
        // Oldest first: once one receivable is left partly open, nothing after it got anything.
        let leftOpen = false;
        for (const r of byAge) {
          const fen = paid.get(r.id) ?? 0;
          if (leftOpen) expect(fen).toBe(0);
          expect(fen).toBeGreaterThanOrEqual(0);
          expect(fen).toBeLessThanOrEqual(r.outstandingFen);
          if (fen < r.outstandingFen) leftOpen = true;
        }
        expect(result.allocations.map((a) => a.id)).toEqual(byAge.filter((r) => paid.has(r.id)).map((r) => r.id));
        expect(result.allocations.every((a) => a.fen > 0)).toBe(true);
      }),
    );
  });

  it('settles a picked receivable alone, refusing exactly what it does not owe', () => {
    fc.assert(
      fc.property(
        openReceivables.filter((open) => open.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 1_100_000 }),
        (open, index, amount) => {
          const picked = open[index % open.length]!;
          expect(allocatePayment(open, amount, picked.id)).toEqual(
            amount > picked.outstandingFen
              ? { ok: false, reason: 'overpayment', outstandingFen: picked.outstandingFen }
              : { ok: true, allocations: [{ id: picked.id, fen: amount }] },
          );
        },
      ),
    );
  });
});

describe('what a sale sets up', () => {
  it('warns only past the credit limit, and never without one', () => {
    expect(creditCheck({ outstandingFen: 600_00, saleUnpaidFen: 400_00, creditLimitFen: 1_000_00 })).toEqual({
      exceeds: false,
      outstandingFen: 600_00,
      afterFen: 1_000_00,
      limitFen: 1_000_00,
    });
    expect(creditCheck({ outstandingFen: 600_00, saleUnpaidFen: 400_01, creditLimitFen: 1_000_00 })).toEqual({
      exceeds: true,
      outstandingFen: 600_00,
      afterFen: 1_000_01,
      limitFen: 1_000_00,
    });
    expect(creditCheck({ outstandingFen: 0, saleUnpaidFen: 1, creditLimitFen: 0 })).toMatchObject({
      exceeds: true,
      limitFen: 0,
    });
    expect(creditCheck({ outstandingFen: 5_000_000_00, saleUnpaidFen: 5_000_000_00 })).toEqual({
      exceeds: false,
      outstandingFen: 5_000_000_00,
      afterFen: 10_000_000_00,
    });
  });

  it('makes payment due after the card’s terms, or after the default', () => {
    expect(domain.money.defaultPaymentTermsDays).toBe(30);
    expect(defaultDueDate('2024-01-31')).toBe('2024-03-01');
    expect(defaultDueDate('2024-01-31', 60)).toBe('2024-03-31');
    expect(defaultDueDate('2024-01-31', 0)).toBe('2024-01-31');
  });

  it('checks in a week after the sale', () => {
    expect(domain.checkIn.afterDays).toBe(7);
    expect(checkInDate('2024-12-28')).toBe('2025-01-04');
  });
});
