/**
 * Seed-guide permissions: ordered, first match wins, no match = allowed (the guide: "By default UPnP
 * grants any internal host the ability to open any port"). Applied to NAT-PMP too (issue 3: a denied
 * request gets result 2), since the guide's NAT-PMP has no permission list of its own.
 */
import type { MappingRequest } from '../mapping-backend';
import type { GatewayTables, GatewayView } from './gateway';
import { addressInSpec } from '../../net/ipv4';
import { portInSpec } from '../../routeros/port-spec';

export function permitted(dev: GatewayTables, view: GatewayView, req: MappingRequest, externalPort: number): boolean {
  const external = view.externalEntry()?.interface ?? '';
  for (const p of dev.table('/ip/upnp/permissions').all()) {
    if (p.disabled === 'true') continue;
    if (p.interface && p.interface !== external) continue;
    if (p.protocol && p.protocol !== 'both' && p.protocol !== req.protocol) continue;
    if (p['dst-port'] && !portInSpec(externalPort, p['dst-port'])) continue;
    if (p['internal-port'] && !portInSpec(req.internalPort, p['internal-port'])) continue;
    if (p['internal-address'] && !addressInSpec(req.internalAddress, p['internal-address'])) continue;
    if (p['remote-address'] && !(req.remoteHost && addressInSpec(req.remoteHost, p['remote-address']))) continue;
    return p.action === 'allow';
  }
  return true;
}
