/**
 * A Slack user id (U…, or W… in Enterprise Grid), as a users_select submits
 * it. Whatever is stored as a person must be one: a reminder goes to the DM
 * of its owner, so a channel id stored as an owner would post there.
 */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{1,30}$/;

export const isSlackUserId = (value: unknown): value is string =>
  typeof value === 'string' && SLACK_USER_ID.test(value);
