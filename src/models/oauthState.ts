import { Schema, type Connection, type Model } from 'mongoose';

/** An OAuth state handed to one browser at /slack/install; deleting it is what makes it single-use. */
interface OAuthStateRecord {
  _id: string;
  /** Bolt's install options, carried from the install page to the redirect. */
  installOptions: Record<string, unknown>;
  createdAt: Date;
}

const oauthStateSchema = new Schema<OAuthStateRecord>(
  {
    _id: String,
    installOptions: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'oauthStates', versionKey: false, minimize: false },
);
oauthStateSchema.index({ createdAt: 1 });

export type OAuthStateModel = Model<OAuthStateRecord>;

export function oauthStateModel(connection: Connection): OAuthStateModel {
  return connection.model<OAuthStateRecord>('OAuthState', oauthStateSchema);
}

/**
 * A state's use, inserted under the state's own id: `_id` uniqueness makes
 * the use single on every server, where FerretDB 1's findOneAndDelete is a
 * read and a separate delete that several callbacks can pass at once.
 */
interface OAuthStateUseRecord {
  _id: string;
  usedAt: Date;
}

const oauthStateUseSchema = new Schema<OAuthStateUseRecord>(
  { _id: String, usedAt: { type: Date, required: true } },
  { collection: 'oauthStateUses', versionKey: false },
);
// The sweep of uses older than a state can live.
oauthStateUseSchema.index({ usedAt: 1 });

export type OAuthStateUseModel = Model<OAuthStateUseRecord>;

export function oauthStateUseModel(connection: Connection): OAuthStateUseModel {
  return connection.model<OAuthStateUseRecord>('OAuthStateUse', oauthStateUseSchema);
}
