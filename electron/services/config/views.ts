/** Snapshot → the ConfigView the screens show. */
import type { ConfigView } from '../../../shared/domains/config';
import { permissionsView } from '../../config/permissions-view';
import { currentPolicy, isManaged } from '../../config/protection';
import { internetEvidence, looksGuest } from '../../config/roles';
import type { RouterSnapshot } from '../../config/snapshot';
import { detectRoles } from '../../config/wizard/detect';
import { intToIPv4, parseCidr } from '../../net/ipv4';
import { eimEnabled } from '../../config/eim';

export function configView(s: RouterSnapshot): ConfigView {
  const d = detectRoles(s);
  const wan = d.external.find((c) => c.recommended)?.interface ?? null;
  const lan = d.internal.find((c) => c.recommended)?.interface;
  const lanAddr = s.addresses.find((a) => a.interface === lan)?.address ?? null;
  const { rules, shadowed } = permissionsView(s);
  return {
    settings: s.upnp,
    upnpRoles: s.upnpInterfaces.map(({ interface: i, type, disabled }) => ({ interface: i, type, disabled })),
    natPmp: s.natPmp
      ? {
          enabled: s.natPmp.enabled,
          roles: s.natPmpInterfaces.map(({ interface: i, type, disabled }) => ({ interface: i, type, disabled })),
        }
      : null,
    interfaces: s.interfaces.map((i) => ({
      name: i.name,
      type: i.type,
      internet: internetEvidence(s, i.name),
      guest: looksGuest(s, i.name),
    })),
    permissions: rules,
    shadowed,
    policy: rules ?? currentPolicy(s),
    protection: s.filter.filter(isManaged).map((r) => ({
      id: r['.id'] ?? '',
      action: r['action'] ?? '',
      protocol: r['protocol'] ?? '',
      dstPort: r['dst-port'] ?? '',
      dstAddress: r['dst-address'] ?? '',
      comment: r['comment'] ?? '',
    })),
    forwards: s.nat
      .filter((r) => r['chain'] === 'dstnat' && r['action'] === 'dst-nat')
      .map((r) => ({
        id: r['.id'] ?? '',
        inInterface: r['in-interface'] ?? '',
        protocol: r['protocol'] ?? '',
        dstPort: r['dst-port'] ?? '',
        toAddress: r['to-addresses'] ?? '',
        toPort: r['to-ports'] ?? '',
        comment: r['comment'] ?? '',
      })),
    eim: wan !== null && eimEnabled(s, wan),
    wan,
    lanSubnet: lanAddr ? toNetwork(lanAddr) : null,
    liveMappings: s.liveMappings,
  };
}

/** `192.168.88.1/24` → `192.168.88.0/24`. */
export function toNetwork(cidr: string): string {
  const parsed = parseCidr(cidr);
  return parsed ? `${intToIPv4(parsed.network)}/${parsed.prefix}` : cidr;
}
