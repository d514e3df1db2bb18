import { Schema } from 'mongoose';

/** A file attached to a Slack message saved to a card: its name and Slack's link to it. */
interface SourceFile {
  name: string;
  url?: string;
}

/**
 * The Slack message a record was saved from (保存到客户卡): where it is, a
 * link to it, who wrote it, and the files it carried. Read from Slack with
 * the workspace's own token when it was saved, never taken from the request.
 */
export interface MessageSource {
  channelId: string;
  ts: string;
  permalink?: string;
  /** Who wrote the message: a Slack user id, absent for a message an app posted. */
  authorId?: string;
  files: SourceFile[];
}

export const messageSourceSchema = new Schema<MessageSource>(
  {
    channelId: { type: String, required: true },
    ts: { type: String, required: true },
    permalink: String,
    authorId: String,
    files: [{ _id: false, name: { type: String, required: true }, url: String }],
  },
  { _id: false, strict: 'throw' },
);
