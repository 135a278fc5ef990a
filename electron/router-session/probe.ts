/**
 * Capability probe on connect: version, board, identity, uptime, architecture, the logged-in user's
 * group policy, and which optional menus exist. Menus are found by trying (a `print =count-only=`): a trap "no such command" means
 * absent (routeros-facts.md: /ip/upnp/permissions and /ip/upnp/mappings come from the seed guide and
 * are missing on real RouterOS 7.9–7.24; /ip/nat-pmp exists from 7.13). Never guessed from the version.
 */
import { grantedPolicies } from '../routeros/policy';
import { RouterTrapError } from './errors';
import { systemIdentitySchema, systemResourceSchema } from './models';
import type { Capabilities, RouterTarget, UserPolicy } from './target';
import type { Link } from './transport';
import { parseRows } from './validate';

async function menuExists(link: Link, menu: string): Promise<boolean> {
  try {
    await link.write([`${menu}/print`, '=count-only=']);
    return true;
  } catch (err) {
    if (err instanceof RouterTrapError && err.isNoSuchCommand) return false;
    throw err;
  }
}

export function parseVersion(version: string): Capabilities['versionNumber'] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/**
 * What the user may do, so a read-only login is told at connect time rather than by a trap in the
 * middle of an apply (issue 18): `/user` gives the user's group, `/user/group` its policy list. Null
 * when either cannot be read: a trap (no such menu, or no permission), or no row — a user the router
 * authenticates by RADIUS (`/user aaa`) is absent from /user (Csontikka/ha-mikrotik-extended#31).
 * A lost link still fails the probe.
 */
export async function readUserPolicy(link: Link, user: string): Promise<UserPolicy | null> {
  try {
    const [row] = await link.write(['/user/print', `?name=${user}`, '=.proplist=name,group']);
    const group = row?.['group'];
    if (!group) return null;
    const [groupRow] = await link.write(['/user/group/print', `?name=${group}`, '=.proplist=name,policy']);
    const policy = groupRow?.['policy'];
    if (policy === undefined) return null;
    const granted = grantedPolicies(policy);
    const has = (p: string): boolean => granted.has(p);
    return { user, group, read: has('read'), write: has('write'), reboot: has('reboot'), api: has('api') };
  } catch (err) {
    if (err instanceof RouterTrapError) return null;
    throw err;
  }
}

export async function probeCapabilities(
  link: Link,
  target: Pick<RouterTarget, 'transport' | 'user'>,
): Promise<Capabilities> {
  // Two round trips, not seven (the policy needs the user's group first): RouterOS answers tagged
  // commands on one API connection concurrently (MikroTik "API" manual, "Tags"), and a connect to a
  // router far away pays each trip in latency.
  const [resourceRows, identityRows, upnpPermissions, upnpMappings, natPmp, policy] = await Promise.all([
    link.write(['/system/resource/print']),
    link.write(['/system/identity/print']),
    menuExists(link, '/ip/upnp/permissions'),
    menuExists(link, '/ip/upnp/mappings'),
    menuExists(link, '/ip/nat-pmp'),
    readUserPolicy(link, target.user),
  ]);
  const [resource] = parseRows('/system/resource', systemResourceSchema, resourceRows);
  const [identity] = parseRows('/system/identity', systemIdentitySchema, identityRows);
  return {
    version: resource?.version ?? '',
    versionNumber: parseVersion(resource?.version ?? ''),
    board: resource?.['board-name'],
    architecture: resource?.['architecture-name'],
    identity: identity?.name ?? '',
    uptimeSeconds: resource?.uptime ?? 0,
    menus: { upnpPermissions, upnpMappings, natPmp },
    transport: target.transport,
    tls: link.tls,
    policy,
  };
}
