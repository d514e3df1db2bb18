import { Schema, type Connection, type Model, type SchemaDefinition, type Types } from 'mongoose';
import { CARD_FIELDS, CUSTOMER_STATUSES, type FieldKind } from '../domain/cardFields.js';
import {
  ABC_CLASSES,
  STORED_SEGMENTS,
  TIERS,
  type AbcClass,
  type StoredSegment,
  type Tier,
} from '../domain/segments.js';
import type { CardInput } from '../validation/cardInput.js';

export interface CustomerRecord extends CardInput {
  _id: Types.ObjectId;
  teamId: string;
  number: string;
  year: number;
  nameKey: string;
  phoneKey?: string;
  /** The name's pinyin, spaceless (`zhangsan`), and its initials (`zs`); see searchKeys. */
  pinyinKey?: string;
  initialsKey?: string;
  companyKey?: string;
  /** SEARCH_KEYS_VERSION the keys were made with; missing on cards from before it existed. */
  searchKeysVersion?: number;
  /** Bumped on every edit; an edit must name the version it started from. */
  version: number;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
  lastContactDate?: string;
  /** The referrer as typed before referrers were picked from cards: kept and shown, never edited. */
  referrer?: string;
  /** Someone answered "not now" to marking this customer an ambassador: the card stops suggesting it. */
  ambassadorSuggestionDismissed?: boolean;
  /** Set by a sale and by the segmentation job only; no edit touches them. Absent: 潜在 or 疑虑, from the card. */
  segment?: StoredSegment;
  /** Set by the job for current customers; a first sale leaves them unset until its next run. */
  tier?: Tier;
  abc?: AbcClass;
  /** 公海: when the card went to the team pool, its owner unset; cleared when someone claims it. */
  pooledAt?: Date;
  /** Who owned it before it went to the pool. */
  previousOwnerId?: string;
  /**
   * The day it was last claimed from the pool: the pool counts from it, as from a contact, so a claimer is not warned
   * at once.
   */
  claimedOn?: string;
  /**
   * The first day on or after the day it was worked out on when one of the card's birthday or important days falls:
   * lists of days coming up read only cards whose value is close (see services/occasions.ts).
   */
  nextOccasionOn?: string;
  /**
   * The import (`/card import`) that made the card: a step redone after a crash tells the cards it made from those a
   * colleague's import of the same file made at the same moment.
   */
  importId?: Types.ObjectId;
}

/** A birthday or important day's date: month and day, the year when known, 公历 or 农历. */
const occasionDate = {
  calendar: { type: String, enum: ['solar', 'lunar'], required: true },
  month: { type: Number, required: true },
  day: { type: Number, required: true },
  year: Number,
  leapMonth: Boolean,
};
const birthdaySchema = new Schema(occasionDate, { _id: false });
const importantDaySchema = new Schema(
  { ...occasionDate, recurrence: { type: String, enum: ['yearly', 'once'], required: true }, label: String },
  { _id: false },
);

const SCHEMA_TYPES: Record<FieldKind, SchemaDefinition[string]> = {
  text: String,
  multiline: String,
  occasion: { type: birthdaySchema, default: undefined },
  occasions: { type: [importantDaySchema], default: undefined },
  select: String,
  user: String,
  money: { type: Number, validate: { validator: Number.isInteger, message: 'money must be integer fen' } },
  checkbox: { type: Boolean, default: false },
  card: String,
};

const cardFieldPaths = Object.fromEntries(CARD_FIELDS.map((f) => [f.key, SCHEMA_TYPES[f.kind]]));

const customerSchema = new Schema<CustomerRecord>(
  {
    ...cardFieldPaths,
    teamId: { type: String, required: true },
    number: { type: String, required: true },
    year: { type: Number, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    phoneKey: String,
    pinyinKey: String,
    initialsKey: String,
    companyKey: String,
    searchKeysVersion: Number,
    version: { type: Number, required: true },
    createdBy: { type: String, required: true },
    updatedBy: { type: String, required: true },
    lastContactDate: String,
    referrer: String,
    ambassadorSuggestionDismissed: Boolean,
    segment: { type: String, enum: STORED_SEGMENTS },
    tier: { type: String, enum: TIERS },
    abc: { type: String, enum: ABC_CLASSES },
    pooledAt: Date,
    previousOwnerId: String,
    claimedOn: String,
    nextOccasionOn: String,
    importId: Schema.Types.ObjectId,
    /**
     * The status chosen by hand in earlier versions (CUSTOMER_STATUSES); a referral's prospect is stored as potential.
     */
    status: { type: String, enum: CUSTOMER_STATUSES },
  },
  { collection: 'customers', timestamps: true, versionKey: false, strict: 'throw' },
);

// Lookups: by card number, by exact or prefix name, by phone, by pinyin or initials prefix, by company prefix; all
// inside one team. Each finder stage reads one of these in its own order, so a limit stops the scan early.
customerSchema.index({ teamId: 1, number: 1 }, { unique: true });
customerSchema.index({ teamId: 1, nameKey: 1, number: 1 });
customerSchema.index({ teamId: 1, phoneKey: 1 });
customerSchema.index({ teamId: 1, pinyinKey: 1, number: 1 });
customerSchema.index({ teamId: 1, initialsKey: 1, number: 1 });
customerSchema.index({ teamId: 1, companyKey: 1, number: 1 });
// `/card ambassadors`: a team's ambassadors without reading its other cards.
customerSchema.index({ teamId: 1, ambassador: 1, nameKey: 1 });
// Segmentation: the cards it placed before, without reading the others.
customerSchema.index({ teamId: 1, segment: 1 });
// App Home: one owner's pyramid, from index entries alone (the team's tiers use { teamId, segment }).
customerSchema.index({ teamId: 1, ownerId: 1, segment: 1, tier: 1 });
// A person's cards (a handover moves them all), read in id order a batch at a time.
customerSchema.index({ teamId: 1, ownerId: 1, _id: 1 });
// `/card pool`: a team's pooled cards, oldest first, without reading the others.
customerSchema.index({ teamId: 1, pooledAt: 1 });
// Birthdays and important days coming up: one owner's, soonest first.
customerSchema.index({ teamId: 1, ownerId: 1, nextOccasionOn: 1 });
// The boot-time re-keying asks for outdated keys across teams; indexed, a boot with nothing to do reads nothing.
customerSchema.index({ searchKeysVersion: 1 });

export type CustomerModel = Model<CustomerRecord>;

export function customerModel(connection: Connection): CustomerModel {
  return connection.model<CustomerRecord>('Customer', customerSchema);
}
