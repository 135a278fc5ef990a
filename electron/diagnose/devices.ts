/**
 * LAN devices for the troubleshooter's picker: DHCP leases and ARP entries, with the MAC vendor
 * (IEEE OUI registry via `oui-data`) and the platform guessed from the host name or vendor (Sony
 * Interactive Entertainment, Microsoft, Nintendo for consoles).
 */
import { isTrue } from '../core/router-port';
import type { DiagnoseDevice, Platform } from '../../shared/domains/diagnose';
import type { DiagnoseContext } from './context';

const PLATFORM_HINTS: Array<[Platform, RegExp]> = [
  ['playstation', /playstation|\bps[345]\b|ps[345]-|sony interactive/i],
  ['xbox', /xbox|microsoft/i],
  ['switch', /switch|nintendo/i],
  ['steam', /steam|valve/i],
  ['voip', /voip|\bsip\b|yealink|grandstream|polycom|snom|gigaset|cisco spa|obihai|fanvil|ata\b/i],
];
const CONSOLES: Platform[] = ['playstation', 'xbox', 'switch'];

export function platformOf(hostName: string, vendor: string | null): Platform {
  const hay = `${hostName} ${vendor ?? ''}`;
  return PLATFORM_HINTS.find(([, re]) => re.test(hay))?.[0] ?? 'other';
}

/** Interface a device is on: ARP first (where the router sees it now), else its DHCP server's. */
function interfaceOf(ctx: DiagnoseContext, address: string, server: string): string {
  const arp = ctx.arp.find((a) => a['address'] === address && a['status'] !== 'failed');
  if (arp?.['interface']) return arp['interface'];
  return ctx.s.dhcpServers.find((d) => d.name === server)?.interface ?? '';
}

export function listDevices(ctx: DiagnoseContext): DiagnoseDevice[] {
  const out: DiagnoseDevice[] = [];
  const add = (address: string, mac: string, hostName: string, online: boolean, server: string) => {
    if (!address || out.some((d) => d.address === address)) return;
    const vendor = mac ? ctx.vendorOf(mac) : null;
    const platform = platformOf(hostName, vendor);
    out.push({
      address,
      mac,
      hostName,
      vendor,
      online,
      interface: interfaceOf(ctx, address, server),
      platform,
      console: CONSOLES.includes(platform),
    });
  };
  const arpOnline = (a: string) =>
    ctx.arp.some((r) => r['address'] === a && r['status'] !== 'failed' && !isTrue(r['disabled']));
  for (const l of ctx.s.leases) {
    const address = l['active-address'] || l['address'] || '';
    add(
      address,
      l['active-mac-address'] || l['mac-address'] || '',
      l['active-host-name'] || l['host-name'] || '',
      l['status'] === 'bound' || arpOnline(address),
      l['active-server'] || l['server'] || '',
    );
  }
  for (const a of ctx.arp) add(a['address'] ?? '', a['mac-address'] ?? '', '', a['status'] !== 'failed', '');
  return out.sort(
    (a, b) =>
      Number(b.console) - Number(a.console) ||
      Number(b.online) - Number(a.online) ||
      a.address.localeCompare(b.address, undefined, { numeric: true }),
  );
}

/** A device not in the leases or ARP table (typed in by hand): only its address is known. */
export function unknownDevice(address: string): DiagnoseDevice {
  return {
    address,
    mac: '',
    hostName: '',
    vendor: null,
    online: false,
    interface: '',
    platform: 'other',
    console: false,
  };
}
