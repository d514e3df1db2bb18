/** The card's editable fields, grouped as the modal shows them; docs/fields.md says what each means. */

/**
 * The customer status (客户类别) earlier versions let the salesperson choose.
 * It is no longer on the form: the segment computed from sales, contacts and
 * referrals is the one category shown. Cards keep what was chosen, and the
 * card explains when it differs (a card opened as 现有客户 with no sale recorded).
 */
export const CUSTOMER_STATUSES = ['current', 'inactive', 'potential', 'doubtful'] as const;
export const RELATIONSHIP_STAGES = ['acquainted', 'meeting', 'trust', 'alliance'] as const;
export const COMMUNICATION_STYLES = ['analytical', 'driver', 'expressive', 'amiable'] as const;
export const LOYALTY_ATTITUDES = ['loyal', 'switcher', 'nonLoyal'] as const;
export const CREDIT_RATINGS = ['high', 'medium', 'low'] as const;

/**
 * `card`: another card of the team, picked with the type-ahead. `occasion`: a
 * birthday, solar or lunar (typed, with a 公历/农历 choice beside it);
 * `occasions`: labelled important days, one per line.
 */
export type FieldKind =
  'text' | 'multiline' | 'select' | 'money' | 'user' | 'checkbox' | 'card' | 'occasion' | 'occasions';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  maxLength?: number;
  required?: boolean;
  options?: readonly string[];
}

const text = (key: string, maxLength: number, required = false): FieldSpec => ({
  key,
  kind: 'text',
  maxLength,
  required,
});
const multiline = (key: string, maxLength: number): FieldSpec => ({ key, kind: 'multiline', maxLength });
const select = (key: string, options: readonly string[]): FieldSpec => ({ key, kind: 'select', options });

export const CARD_FIELD_GROUPS = [
  {
    group: 'basic',
    fields: [
      text('name', 100, true),
      text('company', 100),
      text('title', 50),
      text('phone', 30),
      text('address', 200),
      text('region', 50),
      { key: 'birthday', kind: 'occasion' },
      text('education', 50),
      multiline('family', 500),
      { key: 'importantDays', kind: 'occasions' },
      multiline('interests', 500),
      text('personality', 200),
      multiline('background', 1000),
      multiline('achievements', 500),
      multiline('travel', 500),
      text('culture', 200),
    ],
  },
  { group: 'preferences', fields: [multiline('preferences', 1000)] },
  {
    group: 'characteristics',
    fields: [multiline('customs', 500), multiline('potential', 500), multiline('marketPolicy', 500)],
  },
  {
    group: 'trade',
    fields: [
      multiline('tradeActivity', 1000),
      multiline('problems', 1000),
      multiline('futurePotential', 500),
      multiline('financialStatus', 500),
      select('creditRating', CREDIT_RATINGS),
      { key: 'creditLimitFen', kind: 'money' },
      text('paymentTerms', 200),
      text('paymentMethod', 100),
    ],
  },
  { group: 'competition', fields: [multiline('competitors', 1000)] },
  {
    group: 'relationship',
    fields: [
      select('stage', RELATIONSHIP_STAGES),
      select('style', COMMUNICATION_STYLES),
      select('loyalty', LOYALTY_ATTITUDES),
      { key: 'ownerId', kind: 'user' },
      { key: 'referrerId', kind: 'card' },
      { key: 'ambassador', kind: 'checkbox' },
    ],
  },
  // 备注: anything else worth keeping; an import puts here the columns it has no field for, each on a labelled line.
  { group: 'notes', fields: [multiline('notes', 3000)] },
] as const satisfies readonly { group: string; fields: readonly FieldSpec[] }[];

export type CardFieldKey = (typeof CARD_FIELD_GROUPS)[number]['fields'][number]['key'];

export const CARD_FIELDS: readonly FieldSpec[] = CARD_FIELD_GROUPS.flatMap((g) => g.fields);

/** The longest text a card field takes: the modal's max_length and the schema's limit alike. */
export function maxLengthOf(key: CardFieldKey): number {
  const spec = CARD_FIELDS.find((f) => f.key === key);
  if (!spec?.maxLength) throw new Error(`card field ${key} has no length limit`);
  return spec.maxLength;
}
