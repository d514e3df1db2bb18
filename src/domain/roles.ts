/** What a user may do beyond their own cards. */
export interface Roles {
  /**
   * Changes team settings and runs admin commands: listed in ADMIN_USER_IDS, or a workspace admin or owner as Slack
   * reports it.
   */
  admin: boolean;
  /** The team's manager: hands cards over and exports the team's cards, as an admin does. */
  manager: boolean;
}

/** The owner of a card, a manager or an admin may give the card to a colleague; anyone else may not. */
export const mayReassign = (card: { ownerId?: string }, userId: string, roles: Roles): boolean =>
  roles.admin || roles.manager || card.ownerId === userId;

/** Handing over every card of a person is the manager's or an admin's. */
export const mayHandOver = (roles: Roles): boolean => roles.admin || roles.manager;
