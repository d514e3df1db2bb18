import { readFileSync } from 'node:fs';
import { App } from '@slack/bolt';
import { parse } from 'yaml';
import { messagesFor } from '../src/i18n/index.js';
import { TEAM_A } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * manifest.yml against the listeners: every shortcut and workflow step the
 * manifest declares is handled (each is sent through the signed front door
 * and answered), and every one the app registers is declared (a listener
 * Slack was never told about would never be reached).
 */
interface Manifest {
  features: { shortcuts?: { name: string; type: 'message' | 'global'; callback_id: string; description: string }[] };
  settings: { org_deploy_enabled?: boolean; function_runtime?: string; event_subscriptions: { bot_events: string[] } };
  functions?: Record<
    string,
    {
      title: string;
      input_parameters: { properties: Record<string, { type: string; title: string }>; required?: string[] };
      output_parameters: { properties: Record<string, { type: string; title: string }>; required?: string[] };
    }
  >;
}

const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as Manifest;

/** What the app registers with Bolt, recorded as it boots. */
const registered = { shortcuts: [] as { callback_id: string; type: string }[], functions: [] as string[] };
const { shortcut, function: step } = App.prototype;
App.prototype.shortcut = function (this: App, ...args: Parameters<App['shortcut']>) {
  registered.shortcuts.push(args[0] as { callback_id: string; type: string });
  return shortcut.apply(this, args);
} as App['shortcut'];
App.prototype.function = function (this: App, ...args: Parameters<App['function']>) {
  registered.functions.push(args[0]);
  return step.apply(this, args as never) as App;
} as App['function'];

const h = useHarness({}, { checkLogs: true });

afterAll(() => {
  App.prototype.shortcut = shortcut;
  App.prototype.function = step;
});

const declaredShortcuts = () => (manifest.features.shortcuts ?? []).map((s) => `${s.type}:${s.callback_id}`).sort();
const SHORTCUT_TYPE: Record<string, string> = { message_action: 'message', shortcut: 'global' };

describe('manifest.yml and the listeners', () => {
  it('declares exactly the shortcuts the app handles, each with its type', () => {
    expect(registered.shortcuts.every((s) => typeof s.callback_id === 'string' && s.type in SHORTCUT_TYPE)).toBe(true);
    const handled = registered.shortcuts.map((s) => `${SHORTCUT_TYPE[s.type]}:${s.callback_id}`).sort();
    expect(handled).toEqual(declaredShortcuts());
    for (const s of manifest.features.shortcuts ?? []) {
      expect(s.name.length).toBeLessThanOrEqual(24);
      expect(s.description.length).toBeLessThanOrEqual(150);
    }
  });

  it('declares exactly the workflow steps the app handles, with the settings Slack requires for them', () => {
    expect([...registered.functions].sort()).toEqual(Object.keys(manifest.functions ?? {}).sort());
    expect(manifest.settings.function_runtime).toBe('remote');
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('function_executed');
  });

  it('names every step input so a failed step can say which input was wrong, in both languages', () => {
    for (const [id, fn] of Object.entries(manifest.functions ?? {})) {
      const inputs = Object.keys(fn.input_parameters.properties);
      for (const locale of ['zh', 'en'] as const)
        expect(inputs.filter((input) => !(input in messagesFor(locale).steps.inputs))).toEqual([]);
      expect((fn.input_parameters.required ?? []).every((r) => inputs.includes(r))).toBe(true);
      expect(Object.keys(fn.output_parameters.properties).length).toBeGreaterThan(0);
      expect(id).toMatch(/^[a-z_]+$/);
    }
  });

  it.each((manifest.features.shortcuts ?? []).map((s) => [s.type, s.callback_id] as const))(
    'handles the %s shortcut %s: a signed request opens its modal',
    async (type, callbackId) => {
      const before = h.fake.mark();
      const sent =
        type === 'message'
          ? await h.messageShortcut(TEAM_A, callbackId, {
              channel: 'CSALES',
              ts: h.fake.postUserMessage(TEAM_A.teamId, 'CSALES', { user: TEAM_A.userId, text: '测试' }),
            })
          : await h.globalShortcut(TEAM_A, callbackId);
      expect(sent.status).toBe(200);
      await h.fake.waitFor('views.open', (c) => c.args.trigger_id === sent.triggerId, before);
    },
  );

  it.each(Object.keys(manifest.functions ?? {}))(
    'handles the step %s: an execution always ends',
    async (callbackId) => {
      const run = await h.executeStep(TEAM_A.teamId, callbackId, {});
      expect(run.status).toBe(200);
      expect(await h.stepEnd(run.executionId)).toMatchObject({ outcome: 'error' });
    },
  );
});
