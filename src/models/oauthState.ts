import { Schema, type Connection, type Model } from 'mongoose';

/** An OAuth state handed to one browser at /slack/install; deleting it is what makes it single-use. */
export interface OAuthStateRecord {
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
