/**
 * Wizard step 1: which interfaces are the LAN (a DHCP server serves it, private address) and which
 * one is the WAN (default route, DHCP client, PPPoE), each with the evidence shown to the user.
 */
import type { Candidate, WizardStart } from '../../../shared/domains/config';
import { internetEvidence, looksGuest } from '../roles';
import type { RouterSnapshot } from '../snapshot';

/** The wizard's first answer: interface candidates and the roles the router has now. */
export type Detection = Pick<WizardStart, 'internal' | 'external' | 'current'>;

export function detectRoles(s: RouterSnapshot): Detection {
  const external: Candidate[] = [];
  for (const i of s.interfaces) {
    const evidence = internetEvidence(s, i.name);
    if (evidence.length) external.push({ interface: i.name, evidence, recommended: false });
  }
  // The interface carrying the default route wins; then the most evidence.
  external.sort(
    (a, b) =>
      Number(s.defaultRouteInterfaces.includes(b.interface)) - Number(s.defaultRouteInterfaces.includes(a.interface)) ||
      b.evidence.length - a.evidence.length,
  );
  if (external[0]) external[0].recommended = true;

  const internal: Candidate[] = [];
  for (const server of s.dhcpServers) {
    const name = server.interface;
    if (internal.some((c) => c.interface === name) || external.some((c) => c.interface === name)) continue;
    const evidence = [`the DHCP server “${server.name}” hands out addresses on it`];
    const addr = s.addresses.find((a) => a.interface === name);
    if (addr) evidence.push(`the router’s LAN address ${addr.address} is on it`);
    const kind = s.interfaces.find((i) => i.name === name)?.type;
    if (kind === 'bridge') evidence.push('it is a bridge (the LAN ports are members)');
    const guest = looksGuest(s, name);
    internal.push({
      interface: name,
      evidence,
      recommended: !guest,
      ...(guest
        ? { warning: 'looks like a guest/IoT network: devices there are usually not trusted to open ports' }
        : {}),
    });
  }
  return { internal, external, current: s.upnpInterfaces.map((r) => ({ interface: r.interface, type: r.type })) };
}
