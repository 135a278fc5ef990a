/**
 * Wizard step 8: the equivalents of the guide's checks — `/ip upnp interfaces print`,
 * `/ip upnp mappings print` (on RouterOS 7, which lacks that menu, the dynamic UPnP/NAT-PMP rules) and
 * `/ip firewall nat print where dynamic` — plus what is still wrong.
 */
import type { Verification as VerificationView } from '../../../shared/domains/config';
import { isNoSuchCommand, isTrue, type RawRow, type RouterPort } from '../../core/router-port';
import { isManaged } from '../protection';

/** The contract's Verification, with the two places the rows can come from named. */
export interface Verification extends VerificationView {
  mappingsSource: '/ip/upnp/mappings' | '/ip/firewall/nat (dynamic upnp/nat-pmp rules)';
}

export async function verifySetup(router: RouterPort): Promise<Verification> {
  const [upnp, upnpInterfaces, nat, filter] = await Promise.all([
    router.print('/ip/upnp'),
    router.print('/ip/upnp/interfaces'),
    router.print('/ip/firewall/nat', { query: ['?dynamic=true'] }),
    router.print('/ip/firewall/filter'),
  ]);
  let mappings: RawRow[];
  let mappingsSource: Verification['mappingsSource'] = '/ip/upnp/mappings';
  let permissions: RawRow[] | null = null;
  try {
    mappings = await router.print('/ip/upnp/mappings');
  } catch (err) {
    if (!isNoSuchCommand(err)) throw err;
    mappings = nat.filter((r) => /^(upnp|nat-pmp) /.test(r['comment'] ?? ''));
    mappingsSource = '/ip/firewall/nat (dynamic upnp/nat-pmp rules)';
  }
  try {
    permissions = await router.print('/ip/upnp/permissions');
  } catch (err) {
    if (!isNoSuchCommand(err)) throw err;
  }
  const problems: string[] = [];
  if (!isTrue(upnp[0]?.['enabled'])) problems.push('UPnP is off: devices cannot ask for ports.');
  const active = upnpInterfaces.filter((r) => !isTrue(r['disabled']));
  if (!active.some((r) => r['type'] === 'internal'))
    problems.push('UPnP has no home-network (internal) side: no device may ask for a port.');
  if (!active.some((r) => r['type'] === 'external'))
    problems.push('UPnP has no Internet (external) side: there is nowhere to open a port.');
  const managed = filter.filter(isManaged).length;
  const protection: Verification['protection'] = permissions
    ? { kind: 'permissions', count: permissions.length }
    : managed
      ? { kind: 'firewall', count: managed }
      : { kind: 'none', count: 0 };
  if (protection.kind === 'none')
    problems.push('Nothing is restricted: any device on your network can open any port, the privileged ones included.');
  return { upnpInterfaces, mappings, mappingsSource, dynamicNat: nat, protection, problems };
}
