/**
 * Permissions up front (issue 18): the capability probe reads the logged-in user's group policy, so a
 * login without `write` is told at connect time what PortPilot can and cannot do, and every service
 * (and CLI command) that changes the router refuses early with the same explanation — not with a
 * trap halfway through an apply.
 */
import type { Capabilities, UserPolicy } from '../../shared/domains/router';

/** What a user without the write policy can still do, and how to get it. */
function readOnlyText(p: UserPolicy): string {
  return (
    `${p.user} is in group "${p.group}", which has no "write" policy: PortPilot can show this router, its ` +
    `mappings, the audit and the self-test, but cannot change anything (setup, configuration, fixes, ` +
    `cleanup, mapping actions). To change the router, log in with a user whose group has "write" ` +
    `(e.g. /user set ${p.user} group=full).`
  );
}

/**
 * Why `action` may not run with this login, or null when it may. An unreadable policy lets it go
 * ahead: the router itself still refuses what the user's group does not allow.
 */
export function readOnlyReason(c: Pick<Capabilities, 'policy'>, action: string): string | null {
  const p = c.policy;
  return p && !p.write ? `${action} needs to change the router. ${readOnlyText(p)}` : null;
}

/** Notes for the Overview about what this login may do; empty for a user who may do everything. */
export function permissionNotes(c: Pick<Capabilities, 'policy'>): string[] {
  if (c.policy === null) {
    return [
      'PortPilot could not read this login’s permissions (/user, /user group): changes will be tried, and the router refuses them if the user’s group does not allow them.',
    ];
  }
  return c.policy.write ? [] : [readOnlyText(c.policy)];
}
