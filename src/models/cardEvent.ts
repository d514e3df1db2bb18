import { Schema, type Connection, type Model, type Types } from 'mongoose';

const CARD_EVENT_STATES = ['pending', 'handled'] as const;

/**
 * What happened to a card (or to its team's settings), as its service
 * announced it: kept until every reminder kind has reacted, so a reaction
 * cut short by a crash is finished by the next scan. See services/cardEvents.ts.
 */
export type CardEventRecord = {
  /** Derived from what happened (the visit, the sale, the card's version): announcing it twice records it once. */
  _id: Types.ObjectId;
  teamId: string;
  /** The event itself (services/cardEvents.ts's CardEvent), ids as strings. */
  event: Record<string, unknown>;
  state: (typeof CARD_EVENT_STATES)[number];
  at: Date;
  handledAt?: Date;
};

const cardEventSchema = new Schema<CardEventRecord>(
  {
    _id: Schema.Types.ObjectId,
    teamId: { type: String, required: true },
    event: { type: Schema.Types.Mixed, required: true },
    state: { type: String, enum: CARD_EVENT_STATES, required: true },
    at: { type: Date, required: true },
    handledAt: Date,
  },
  { collection: 'cardEvents', versionKey: false, minimize: false },
);

// The scan: a team's events still pending after their writer stopped, oldest first; and the old handled ones it
// removes.
cardEventSchema.index({ teamId: 1, state: 1, at: 1 });

export type CardEventModel = Model<CardEventRecord>;

export function cardEventModel(connection: Connection): CardEventModel {
  return connection.model<CardEventRecord>('CardEvent', cardEventSchema);
}
