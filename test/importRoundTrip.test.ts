import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { Types } from 'mongoose';
import { CARD_FIELDS, type CardFieldKey } from '../src/domain/cardFields.js';
import { mapCardRows, mapSaleRows } from '../src/importing/mapping.js';
import { phoneKey } from '../src/domain/lookup.js';
import { dateProblem, occasionProblem, type ImportantDay, type OccasionDate } from '../src/domain/occasions.js';
import { ABC_CLASSES, STORED_SEGMENTS, TIERS } from '../src/domain/segments.js';
import { messagesFor, type Locale } from '../src/i18n/index.js';
import { readSheet } from '../src/importing/readSheet.js';
import type { CustomerRecord } from '../src/models/customer.js';
import type { SaleRecord } from '../src/models/sale.js';
import { cardHeader, cardRow, saleHeader, saleRow, type CsvRow } from '../src/services/exportRows.js';

/**
 * `/card export` read back by the import (issue #21, item 8): any cards,
 * written to CSV by the export's own row builders and csv-stringify as the
 * export service does (UTF-8 with a BOM), come back field for field.
 */

/** The file the export service writes. */
function exportFile(header: CsvRow, rows: CsvRow[]): Buffer {
  return Buffer.from(stringify([header, ...rows], { bom: true }), 'utf8');
}

/** Characters that stress a CSV, the formula guard, the header finder and the trimming. */
const TRICKY = fc.constantFrom(
  '"',
  ',',
  ';',
  '\t',
  '\n',
  '\r\n',
  '\r',
  "'",
  "''",
  '=',
  '+',
  '-',
  '@',
  '，',
  '　',
  ' ',
  '张',
  'Ａ',
  '１',
  '合计',
  '姓名',
  '手机',
);
/** Control characters and U+FFFD make a file look binary to the reader; a card field holding them is not what Slack's inputs send. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNTEXTLIKE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/;

/** Text as a card field holds it: trimmed by the schema, within the field's length. */
const text = (max: number) =>
  fc
    .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), TRICKY), { maxLength: 12 })
    .map((parts) => parts.join('').trim())
    .filter((v) => v.length <= max && !UNTEXTLIKE.test(v));
const optionalText = (max: number) =>
  fc.option(
    text(max).filter((v) => v !== ''),
    { nil: undefined },
  );

/** A phone as the modal takes it; whitespace is plain spaces, as the import folds any other (NFKC) to them. */
const phone = fc
  .stringMatching(/^\+?[0-9 ()./-]{5,30}$/)
  .map((v) => v.trim())
  .filter((v) => v.length <= 30 && phoneKey(v).length >= 5);

/** The team's day the import reads the file on: a birth is never after it. */
const TODAY = '2026-03-02';

/** A day as a customer gives it: solar or lunar (闰月 too), with or without its year. */
const occasionDate: fc.Arbitrary<OccasionDate> = fc
  .record({
    calendar: fc.constantFrom<'solar' | 'lunar'>('solar', 'lunar'),
    year: fc.option(fc.integer({ min: 1900, max: 2070 }), { nil: undefined }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    leapMonth: fc.boolean(),
  })
  .map(({ calendar, year, month, day, leapMonth }): OccasionDate => ({
    calendar,
    month,
    day,
    ...(year === undefined ? {} : { year }),
    ...(calendar === 'lunar' && leapMonth ? { leapMonth } : {}),
  }))
  .filter((date) => dateProblem(date) === undefined);

const birthday = occasionDate.filter(
  (date) => occasionProblem({ ...date, recurrence: 'yearly' }, { today: TODAY, birth: true }) === undefined,
);

/** Important days as the modal keeps them: a label (digits of its own too), a day, every year or once. */
const importantDays = fc.array(
  fc
    .tuple(
      fc.constantFrom('结婚纪念日', '儿子高考', '公司周年', '3号楼乔迁', 'wedding anniversary', "Mum's day"),
      occasionDate,
      fc.constantFrom<'yearly' | 'once'>('yearly', 'once'),
    )
    .map(([label, date, recurrence]): ImportantDay => ({
      ...date,
      label,
      recurrence: date.year === undefined ? 'yearly' : recurrence,
    }))
    .filter((day) => occasionProblem(day, { today: TODAY, birth: false }) === undefined),
  { maxLength: 3 },
);

function fieldArbitrary(key: CardFieldKey): fc.Arbitrary<unknown> {
  const spec = CARD_FIELDS.find((f) => f.key === key)!;
  switch (spec.kind) {
    case 'select':
      return fc.option(fc.constantFrom(...spec.options!), { nil: undefined });
    case 'money':
      return fc.option(fc.integer({ min: 0, max: 999_999_999_999_99 }), { nil: undefined });
    case 'occasion':
      return fc.option(birthday, { nil: undefined });
    case 'occasions':
      return fc.option(
        importantDays.filter((days) => days.length > 0),
        { nil: undefined },
      );
    case 'checkbox':
      return fc.boolean();
    case 'user':
      return fc.option(fc.stringMatching(/^[UW][A-Z0-9]{8,10}$/), { nil: undefined });
    case 'card':
      return fc.option(fc.constantFrom(...REFERRERS.keys()), { nil: undefined });
    case 'text':
    case 'multiline':
      return key === 'phone'
        ? fc.option(phone, { nil: undefined })
        : key === 'name'
          ? text(spec.maxLength!).filter((v) => v !== '')
          : optionalText(spec.maxLength!);
  }
}

/** The referrers' card ids and numbers, as the export service looks them up. */
const REFERRERS = new Map(
  Array.from({ length: 3 }, (_, i) => [
    new Types.ObjectId().toHexString(),
    `KH-2025-${String(i + 1).padStart(4, '0')}`,
  ]),
);

/** What the export service passes the row builders: people by name, referrers by id, the team's time zone. */
const CONTEXT = {
  names: new Map<string, string>(),
  referrers: new Map([...REFERRERS].map(([id, number], i) => [id, { name: `推荐人${i}`, number }])),
  timezone: 'Asia/Shanghai',
};

const cardFields = fc.record(Object.fromEntries(CARD_FIELDS.map((f) => [f.key, fieldArbitrary(f.key)])));

const card = fc
  .record({
    fields: cardFields,
    legacyReferrer: optionalText(100),
    segment: fc.option(fc.constantFrom(...STORED_SEGMENTS), { nil: undefined }),
    tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined }),
    abc: fc.option(fc.constantFrom(...ABC_CLASSES), { nil: undefined }),
    createdAt: fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2030-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
  })
  .map(({ fields, legacyReferrer, segment, tier, abc, createdAt }) => {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    return {
      ...defined,
      ...(legacyReferrer === undefined ? {} : { referrer: legacyReferrer }),
      ...(segment ? { segment } : {}),
      ...(tier ? { tier } : {}),
      ...(abc ? { abc } : {}),
      createdAt,
      updatedAt: createdAt,
    };
  });

/** What the import must give back for a card: every card field but the two it leaves to the wiring to match. */
function expectedCard(record: Record<string, unknown>) {
  return Object.fromEntries(
    CARD_FIELDS.filter((f) => f.key !== 'ownerId' && f.key !== 'referrerId').flatMap((f) =>
      record[f.key] === undefined ? [] : [[f.key, record[f.key]]],
    ),
  );
}

describe('import reads back what /card export writes', () => {
  it('gives back every card, field for field, in either language', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Locale>('zh', 'en'),
        fc.array(card, { minLength: 1, maxLength: 6 }),
        async (locale, drafts) => {
          const t = messagesFor(locale);
          const records = drafts.map(
            (draft, i) =>
              ({ ...draft, number: `KH-2026-${String(i + 1).padStart(4, '0')}` }) as unknown as CustomerRecord,
          );
          const bytes = exportFile(
            cardHeader(t),
            records.map((r) => cardRow(t, r, CONTEXT)),
          );

          const sheet = await readSheet(bytes);
          if (!sheet.ok) throw new Error(`refused: ${sheet.reason}`);
          const mapped = mapCardRows(sheet.rows, TODAY);
          if (!mapped.ok) throw new Error(`not mapped: ${mapped.reason}`);
          expect(mapped.columns.filter((c) => c.role === 'extra')).toEqual([]);
          expect(mapped.rows).toHaveLength(records.length);
          mapped.rows.forEach((row, i) => {
            const record = records[i]! as unknown as Record<string, unknown>;
            if (!row.ok) throw new Error(`row ${row.rowNumber} refused: ${JSON.stringify(row.issues)}`);
            expect(row.card).toEqual({ ambassador: false, ...expectedCard(record) });
            expect(row.number).toBe(record.number);
            // A person is exported by name (here none is known, so the id) with the Slack ID beside it; a referrer by
            // name with the card number beside it: the import reads the ID and the number.
            expect(row.ownerSlackId).toBe(record.ownerId);
            expect(row.referrerNumber).toBe(
              record.referrerId === undefined ? undefined : REFERRERS.get(record.referrerId as string),
            );
            expect(row.referrer).toBe(
              record.referrerId === undefined ? undefined : CONTEXT.referrers.get(record.referrerId as string)!.name,
            );
            expect(row.legacyReferrer).toBe(record.referrer);
            expect(row.extras).toEqual([]);
            expect(row.warnings).toEqual([]);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives back sales, from the sales file the export writes alongside', async () => {
    const base = {
      _id: new Types.ObjectId(),
      teamId: 'T1',
      customerId: new Types.ObjectId(),
      createdBy: 'U0SELLER',
      createdAt: new Date('2026-01-05T08:00:00Z'),
    };
    const sold: SaleRecord[] = [
      {
        ...base,
        date: '2026-01-05',
        product: '=茶叶礼盒',
        model: 'A-1',
        style: '红, 大号',
        quantity: 2,
        amountFen: 1_280_50,
        profitFen: 300_00,
        dueDate: '2026-02-04',
        paidInFull: false,
      },
      {
        ...base,
        date: '2025-12-30',
        product: '白酒',
        quantity: 1,
        amountFen: 100_000_000_00,
        paidInFull: true,
        creditOverriddenBy: 'U0MANAGER',
      },
    ];
    for (const locale of ['zh', 'en'] as const) {
      const t = messagesFor(locale);
      const bytes = exportFile(
        saleHeader(t),
        sold.map((s) => saleRow(t, { number: 'KH-2026-0001', name: '张三' }, s, CONTEXT)),
      );
      const sheet = await readSheet(bytes);
      if (!sheet.ok) throw new Error(sheet.reason);
      const mapped = mapSaleRows(sheet.rows, '2026-03-01');
      if (!mapped.ok) throw new Error(mapped.reason);
      expect(mapped.rows).toEqual([
        {
          ok: true,
          rowNumber: 2,
          customer: { number: 'KH-2026-0001', name: '张三' },
          sale: {
            date: '2026-01-05',
            product: '=茶叶礼盒',
            model: 'A-1',
            style: '红, 大号',
            quantity: 2,
            amountFen: 1_280_50,
            profitFen: 300_00,
            dueDate: '2026-02-04',
            paidInFull: false,
          },
          recordedBy: 'U0SELLER',
          extras: [],
          warnings: [],
        },
        {
          ok: true,
          rowNumber: 3,
          customer: { number: 'KH-2026-0001', name: '张三' },
          sale: { date: '2025-12-30', product: '白酒', quantity: 1, amountFen: 100_000_000_00, paidInFull: true },
          recordedBy: 'U0SELLER',
          creditOverriddenBy: 'U0MANAGER',
          extras: [],
          warnings: [],
        },
      ]);
    }
  });
});
