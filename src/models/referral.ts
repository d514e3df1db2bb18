import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { THANKS_WAYS, type ThanksWay } from '../domain/referrals.js';

/** open until the referred customer buys (deal) or someone closes it (noDeal, with a reason). */
const REFERRAL_STATUSES = ['open', 'deal', 'noDeal'] as const;
type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

interface ReferralThanks {
  by: string;
  at: Date;
  how: ThanksWay;
  note?: string;
}

/** One link in the referral ledger: who referred whom, how it went, and whether the referrer was thanked. */
export interface ReferralRecord {
  _id: Types.ObjectId;
  teamId: string;
  referrerId: Types.ObjectId;
  referredId: Types.ObjectId;
  /** The team-local day it was recorded. */
  date: string;
  needs?: string;
  notes?: string;
  recordedBy: string;
  status: ReferralStatus;
  /** Minutes from recording to the first contact logged with the referred customer. */
  firstContactMinutes?: number;
  firstContactAt?: Date;
  outcomeAt?: Date;
  outcomeBy?: string;
  noDealReason?: string;
  dealSaleId?: Types.ObjectId;
  /** An outcome is known and nobody has thanked the referrer yet: kept as a field so it can be indexed. */
  awaitingThanks: boolean;
  thanks?: ReferralThanks;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const referralSchema = new Schema<ReferralRecord>(
  {
    teamId: { type: String, required: true },
    referrerId: { type: Schema.Types.ObjectId, required: true },
    referredId: { type: Schema.Types.ObjectId, required: true },
    date: { type: String, required: true },
    needs: String,
    notes: String,
    recordedBy: { type: String, required: true },
    status: { type: String, enum: REFERRAL_STATUSES, required: true },
    firstContactMinutes: Number,
    firstContactAt: Date,
    outcomeAt: Date,
    outcomeBy: String,
    noDealReason: String,
    dealSaleId: Schema.Types.ObjectId,
    awaitingThanks: { type: Boolean, required: true },
    thanks: { _id: false, by: String, at: Date, how: { type: String, enum: THANKS_WAYS }, note: String },
    version: { type: Number, required: true },
  },
  { collection: 'referrals', timestamps: true, versionKey: false, strict: 'throw' },
);

// The referred card's referral (first contact, first sale); the referrer's card and the ambassador list;
// `/card referrals`: open ones, and those waiting for thanks.
referralSchema.index({ teamId: 1, referredId: 1, status: 1 });
referralSchema.index({ teamId: 1, referrerId: 1, createdAt: -1 });
referralSchema.index({ teamId: 1, status: 1, createdAt: -1 });
referralSchema.index({ teamId: 1, awaitingThanks: 1, outcomeAt: 1 });
// A festival's gift list: the team's referrers of the last 12 months, from index entries alone (no other index starts
// with the day a referral was recorded).
referralSchema.index({ teamId: 1, date: 1, referrerId: 1 });

export type ReferralModel = Model<ReferralRecord>;

export function referralModel(connection: Connection): ReferralModel {
  return connection.model<ReferralRecord>('Referral', referralSchema);
}
