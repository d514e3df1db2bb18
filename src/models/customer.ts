import { Schema, type Connection, type Model, type SchemaDefinition, type Types } from 'mongoose';
import { CARD_FIELDS, type FieldKind } from '../domain/cardFields.js';
import type { CardInput } from '../validation/cardInput.js';

export interface CustomerRecord extends CardInput {
  _id: Types.ObjectId;
  teamId: string;
  number: string;
  year: number;
  nameKey: string;
  phoneKey?: string;
  /** SEARCH_KEYS_VERSION the keys were made with; missing on cards from before it existed. */
  searchKeysVersion?: number;
  /** Bumped on every edit; an edit must name the version it started from. */
  version: number;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
  lastContactDate?: string;
}

const SCHEMA_TYPES: Record<FieldKind, SchemaDefinition[string]> = {
  text: String,
  multiline: String,
  date: String,
  select: String,
  user: String,
  money: { type: Number, validate: { validator: Number.isInteger, message: 'money must be integer fen' } },
  checkbox: { type: Boolean, default: false },
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
    searchKeysVersion: Number,
    version: { type: Number, required: true },
    createdBy: { type: String, required: true },
    updatedBy: { type: String, required: true },
    lastContactDate: String,
  } as SchemaDefinition<CustomerRecord>,
  { collection: 'customers', timestamps: true, versionKey: false, strict: 'throw' },
);

// Lookups: by card number, by exact or prefix name, by phone; all inside one team.
customerSchema.index({ teamId: 1, number: 1 }, { unique: true });
customerSchema.index({ teamId: 1, nameKey: 1, number: 1 });
customerSchema.index({ teamId: 1, phoneKey: 1 });
// `/card ambassadors`: a team's ambassadors without reading its other cards.
customerSchema.index({ teamId: 1, ambassador: 1, nameKey: 1 });
// The boot-time re-keying asks for outdated keys across teams; indexed, a boot with nothing to do reads nothing.
customerSchema.index({ searchKeysVersion: 1 });

export type CustomerModel = Model<CustomerRecord>;

export function customerModel(connection: Connection): CustomerModel {
  return connection.model<CustomerRecord>('Customer', customerSchema);
}
