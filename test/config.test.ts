import { ConfigError, parseEnv } from '../src/config/env.js';

const valid = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('fills in the documented defaults', () => {
    expect(parseEnv(valid)).toMatchObject({
      PORT: 3000,
      DEFAULT_TIMEZONE: 'Asia/Shanghai',
      DEFAULT_NUDGE_HOUR: 9,
      DEFAULT_LOCALE: 'zh',
      FOLLOWUP_SCAN_SECONDS: 60,
      EMBEDDED_MONGO_DIR: '.data/mongo',
    });
  });

  it('names every problem at once', () => {
    expect(
      problems({
        SLACK_BOT_TOKEN: 'xapp-wrong-kind',
        PORT: 'eighty',
        DEFAULT_TIMEZONE: 'Mars/Olympus',
        DEFAULT_NUDGE_HOUR: '25',
        MONGODB_URI: 'postgres://x',
        NUDGE_CHANNEL_ID: '#sales',
      }),
    ).toEqual([
      'SLACK_BOT_TOKEN: must be a bot token starting with xoxb-',
      expect.stringMatching(/^PORT: /),
      'MONGODB_URI: must start with mongodb:// or mongodb+srv://',
      'DEFAULT_TIMEZONE: must be an IANA time zone such as Asia/Shanghai',
      expect.stringMatching(/^DEFAULT_NUDGE_HOUR: /),
      'NUDGE_CHANNEL_ID: must be a channel ID such as C0123456789',
      'SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is not set)',
    ]);
  });

  it('says which variables are missing', () => {
    expect(problems({})).toEqual(['SLACK_BOT_TOKEN: is required', 'SLACK_SIGNING_SECRET: is required in HTTP mode (when SLACK_APP_TOKEN is not set)']);
  });

  it('needs no signing secret in Socket Mode', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  it('never echoes a secret value in its messages', () => {
    const message = new ConfigError(problems({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_SIGNING_SECRET: 's' })).message;
    expect(message).not.toContain('xoxp-user-token-secret');
  });
});
