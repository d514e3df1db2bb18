import type { webApi } from '@slack/bolt';
import type { Roles } from '../domain/roles.js';
import type { TeamSettings } from '../services/teamSettings.js';

/** Slack's word on admins is cached this long: an admin command costs no users.info call each time. */
const CACHE_MS = 5 * 60_000;

/**
 * Who may do what, from the team's settings and, for workspace admins and
 * owners, from users.info (scope users:read). Slack failing to answer counts
 * as "not an admin": refusing is safe, granting would not be.
 */
export function createRoles() {
  const slackAdmins = new Map<string, { admin: boolean; expires: number }>();

  async function isWorkspaceAdmin(client: webApi.WebClient, teamId: string, userId: string): Promise<boolean> {
    const key = `${teamId}:${userId}`;
    const cached = slackAdmins.get(key);
    if (cached && cached.expires > performance.now()) return cached.admin;
    const admin = await client.users
      .info({ user: userId })
      .then(({ user }) => user?.team_id === teamId && Boolean(user.is_admin || user.is_owner))
      .catch(() => false);
    slackAdmins.set(key, { admin, expires: performance.now() + CACHE_MS });
    return admin;
  }

  async function rolesOf(client: webApi.WebClient, settings: TeamSettings, userId: string): Promise<Roles> {
    const manager = settings.managerUserIds.includes(userId);
    if (settings.adminUserIds.includes(userId)) return { admin: true, manager };
    return { admin: await isWorkspaceAdmin(client, settings.teamId, userId), manager };
  }

  return { rolesOf };
}

export type RolesService = ReturnType<typeof createRoles>;
