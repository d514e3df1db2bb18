import type { webApi } from '@slack/bolt';
import { mayReassign } from '../domain/roles.js';
import type { CardData } from '../services/cards.js';
import type { TeamSettings } from '../services/teamSettings.js';
import type { Messages } from '../i18n/index.js';
import { renderCard } from '../views/card.js';
import type { SlackMessage } from '../views/message.js';
import type { ListenerDeps } from './deps.js';

/** Who a card is shown to, and how to ask Slack about them. */
export interface CardViewer {
  client: webApi.WebClient;
  settings: TeamSettings;
  userId: string;
}

/**
 * A card as its viewer may use it: Reassign only for those who may reassign
 * it (its owner, the manager, an admin), so nobody is offered a button that
 * would only refuse them. The owner needs no question to Slack.
 */
export async function renderCardFor(
  deps: Pick<ListenerDeps, 'roles'>,
  t: Messages,
  card: CardData,
  { client, settings, userId }: CardViewer,
): Promise<SlackMessage> {
  const owner = card.customer.ownerId === userId;
  const allowed = owner || mayReassign(card.customer, userId, await deps.roles.rolesOf(client, settings, userId));
  return renderCard(t, card, { mayReassign: allowed });
}
