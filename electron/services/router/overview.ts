import type { Capabilities, InterfaceRole, Overview } from '../../../shared/domains/router';
import { isTrue, type RawRow, type RouterPort } from '../../core/router-port';
import { permissionNotes } from '../../core/write-access';
import { classifyIPv4 } from '../../net/ipv4';

/** Counts the dynamic dstnat rules that UPnP and NAT-PMP create (their comments say which). */
function countMappings(rows: RawRow[]): { upnp: number; natPmp: number } {
  let upnp = 0;
  let natPmp = 0;
  for (const row of rows) {
    const comment = row['comment'] ?? '';
    if (comment.startsWith('upnp ')) upnp++;
    else if (comment.startsWith('nat-pmp ')) natPmp++;
  }
  return { upnp, natPmp };
}

function roles(service: InterfaceRole['service'], rows: RawRow[]): InterfaceRole[] {
  return rows.map((row) => ({
    service,
    interface: row['interface'] ?? '?',
    type: row['type'] === 'external' ? 'external' : 'internal',
    disabled: isTrue(row['disabled']),
  }));
}

/** The Overview screen's facts, read from the menus the capability probe found. */
export async function readOverview(router: RouterPort): Promise<Overview> {
  const { capabilities } = router;
  const [upnpRows, upnpIfaces, natRules, addresses] = await Promise.all([
    router.print('/ip/upnp'),
    router.print('/ip/upnp/interfaces'),
    router.print('/ip/firewall/nat', { query: ['?dynamic=true'], proplist: ['comment'] }),
    router.print('/ip/address', { proplist: ['address', 'interface', 'disabled'] }),
  ]);
  const [natPmpRows, natPmpIfaces] = capabilities.menus.natPmp
    ? await Promise.all([router.print('/ip/nat-pmp'), router.print('/ip/nat-pmp/interfaces')])
    : [null, []];
  const upnp = upnpRows[0] ?? {};
  const interfaces = [...roles('upnp', upnpIfaces), ...roles('nat-pmp', natPmpIfaces)];
  const external = interfaces.find((i) => i.service === 'upnp' && i.type === 'external' && !i.disabled);
  const wan = external
    ? addresses.find((a) => a['interface'] === external.interface && !isTrue(a['disabled']))
    : undefined;

  return {
    capabilities,
    upnp: {
      enabled: isTrue(upnp['enabled']),
      allowDisableExternalInterface: isTrue(upnp['allow-disable-external-interface']),
      showDummyRule: isTrue(upnp['show-dummy-rule']),
    },
    natPmp: natPmpRows ? { enabled: isTrue(natPmpRows[0]?.['enabled']) } : null,
    interfaces,
    mappings: countMappings(natRules),
    wanAddress: wanAddress(wan),
    wanKind: wanKind(wanAddress(wan)),
    notes: capabilityNotes(capabilities),
  };
}

const wanAddress = (row: RawRow | undefined): string | null => row?.['address']?.split('/')[0] ?? null;

function wanKind(address: string | null): Overview['wanKind'] {
  if (address === null) return null;
  const kind = classifyIPv4(address);
  return kind === 'public' || kind === 'private' || kind === 'cgnat' ? kind : 'other';
}

/** What this router and login can and cannot do, in plain words first (the RouterOS menu in brackets). */
function capabilityNotes(c: Capabilities): string[] {
  // What this login may do comes first: it limits everything else on the screen.
  const notes: string[] = permissionNotes(c);
  if (c.encryption === 'anonymous') {
    notes.push(
      'The connection is encrypted but not authenticated: the router has no certificate, so nothing proves that PortPilot talks to your router. Give its API-SSL service a certificate to pin it (on the router: /ip service set api-ssl certificate=…).',
    );
  }
  if (!c.menus.upnpPermissions) {
    notes.push(
      'UPnP cannot be limited to some ports or devices on this router itself (this RouterOS has no UPnP permissions list). PortPilot adds firewall rules that do the same job instead.',
    );
  }
  if (!c.menus.upnpMappings) {
    notes.push(
      'This RouterOS keeps no list of UPnP mappings: PortPilot reads them from the rules the router creates for each mapping (dynamic NAT rules).',
    );
  }
  if (!c.menus.natPmp) notes.push('This RouterOS has no NAT-PMP (it arrived in RouterOS 7.13).');
  return notes;
}
