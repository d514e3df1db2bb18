import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
  ViewSubmitAction,
} from '@slack/bolt';
import { isChoice } from '../../../domain/settings.js';
import { NUDGE_HOURS, parseSettingsInput } from '../../../validation/settingsInput.js';
import { renderNotice } from '../../../views/lookup.js';
import { parseSettingsMetadata, renderInviteNotice, renderSettingsModal } from '../../../views/settings.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { ACTION, CALLBACK } from '../../../views/ids.js';
import { afterAck, inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { readViewState } from '../../viewState.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;

/** The block every refusal of the whole submission is shown on: the modal's first. */
const FIRST_BLOCK = 'nudgeChannel';

/**
 * Team settings from App Home (admins only, checked again on every
 * submission: the modal's existence proves nothing), and each person's own
 * language.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.editSettings,
    afterAck(deps, async ({ body, client }: ButtonArgs, { teamId, t }: TeamScope) => {
      const settings = await deps.settings.settingsFor(teamId, { fresh: true });
      const { admin } = await deps.roles.rolesOf(client, settings, body.user.id);
      if (!admin)
        return void (await client.chat.postMessage({ channel: body.user.id, ...renderNotice(t.settings.notAdmin) }));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderSettingsModal(t, settings, deps.settings.specs),
      });
    }),
  );

  // Home is republished in the new language by afterAck's refresh, as after any action.
  app.action<BlockAction<StaticSelectAction>>(
    ACTION.chooseLocale,
    afterAck(deps, async ({ body, action }: SelectArgs, { teamId }: TeamScope) => {
      const locale = action.selected_option?.value;
      if (locale === 'zh' || locale === 'en') await deps.userLocales.choose(teamId, body.user.id, locale);
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.settingsModal,
    onSubmission<ViewArgs>(deps, FIRST_BLOCK, async ({ body, view, client }, { teamId, t, settings }) => {
      const userId = body.user.id;
      const { admin } = await deps.roles.rolesOf(client, settings, userId);
      if (!admin) return inlineErrors({ [FIRST_BLOCK]: t.settings.notAdmin });
      const version = parseSettingsMetadata(view.private_metadata);
      if (version === null) return inlineErrors({ [FIRST_BLOCK]: t.errors.malformed });
      const parsed = parseSettingsInput(readViewState(view.state), deps.settings.specs);
      if (!parsed.ok) {
        const message = (block: string) => {
          const spec = deps.settings.specs.find((s) => s.key === block);
          const range =
            block === 'nudgeHour'
              ? NUDGE_HOURS
              : spec?.min !== undefined && spec.max !== undefined
                ? { min: spec.min, max: spec.max }
                : undefined;
          if (range) return t.settings.outOfRange(range.min, range.max);
          return spec && isChoice(spec.unit) ? t.settings.pickFromList : t.settings.pickOne;
        };
        return inlineErrors(Object.fromEntries(parsed.badBlocks.map((block) => [block, message(block)])));
      }
      const result = await deps.settings.save(teamId, userId, version, parsed.value);
      if (result.outcome === 'conflict') return inlineErrors({ [FIRST_BLOCK]: t.settings.conflict });
      if (result.outcome === 'notFound') return inlineErrors({ [FIRST_BLOCK]: t.errors.generic });
      // Reminders already scheduled follow the new settings too: the change is announced (a new hour moves them, new
      // pool thresholds move the warnings).
      const channel = result.changes.some((c) => c.field === 'nudgeChannel') ? parsed.value.nudgeChannel : undefined;
      if (!channel) return {};
      return {
        after: async () => {
          // conversations.info (scope channels:read) says whether the bot is in it; a private channel it is not in
          // answers channel_not_found.
          const info = await client.conversations.info({ channel }).catch(() => null);
          if (!info?.channel?.is_member)
            await client.chat.postMessage({ channel: userId, ...renderInviteNotice(t, channel) });
        },
      };
    }),
  );
}
