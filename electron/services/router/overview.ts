import type { Capabilities, InterfaceRole, Overview } from '../../../shared/domains/router';
import { isTrue, type RawRow, type RouterPort } from '../../core/router-port';
import { permissionNotes } from '../../core/write-access';

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
    wanAddress: wan?.['address']?.split('/')[0] ?? null,
    notes: capabilityNotes(capabilities),
  };
}

function capabilityNotes(c: Capabilities): string[] {
  // What this login may do comes first: it limits everything else on the screen.
  const notes: string[] = permissionNotes(c);
  if (c.encryption === 'anonymous') {
    notes.push(
      'The API-SSL link is encrypted but not authenticated: the router has no certificate (anonymous Diffie-Hellman), so nothing proves that PortPilot talks to your router. Give api-ssl a certificate (/ip service set api-ssl certificate=…) to pin it.',
    );
  }
  if (!c.menus.upnpPermissions) {
    notes.push(
      'This RouterOS has no /ip upnp permissions menu: UPnP cannot be limited by port or host on the router itself. PortPilot can add firewall filter rules instead.',
    );
  }
  if (!c.menus.upnpMappings) {
    notes.push(
      'This RouterOS has no /ip upnp mappings menu: mappings are read from the dynamic rules in /ip firewall nat.',
    );
  }
  if (!c.menus.natPmp) notes.push('This RouterOS has no /ip nat-pmp menu (NAT-PMP arrived in RouterOS 7.13).');
  return notes;
}
