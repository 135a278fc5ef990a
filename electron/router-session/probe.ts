/**
 * Capability probe on connect: version, board, identity, uptime, architecture, and which optional
 * menus exist. Menus are found by trying (a `print =count-only=`): a trap "no such command" means
 * absent (routeros-facts.md: /ip/upnp/permissions and /ip/upnp/mappings come from the seed guide and
 * are missing on real RouterOS 7.9–7.24; /ip/nat-pmp exists from 7.13). Never guessed from the version.
 */
import { RouterTrapError } from './errors';
import { systemIdentitySchema, systemResourceSchema } from './models';
import type { Capabilities, Transport } from './target';
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

export async function probeCapabilities(link: Link, transport: Transport): Promise<Capabilities> {
  const [resource] = parseRows('/system/resource', systemResourceSchema, await link.write(['/system/resource/print']));
  const [identity] = parseRows('/system/identity', systemIdentitySchema, await link.write(['/system/identity/print']));
  const [upnpPermissions, upnpMappings, natPmp] = [
    await menuExists(link, '/ip/upnp/permissions'),
    await menuExists(link, '/ip/upnp/mappings'),
    await menuExists(link, '/ip/nat-pmp'),
  ];
  return {
    version: resource?.version ?? '',
    versionNumber: parseVersion(resource?.version ?? ''),
    board: resource?.['board-name'],
    architecture: resource?.['architecture-name'],
    identity: identity?.name ?? '',
    uptimeSeconds: resource?.uptime ?? 0,
    menus: { upnpPermissions, upnpMappings, natPmp },
    transport,
    tls: link.tls,
  };
}
