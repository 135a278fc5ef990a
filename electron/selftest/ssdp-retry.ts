// No UPnP gateway answered the SSDP search within its window. When NAT-PMP answers, the router is
// there and maps ports, so "turn UPnP on" would be the wrong advice (issue 12): search again with a
// longer window, and when that stays silent too, say that the router answered NAT-PMP but not UPnP
// discovery, and where SSDP gets lost.
import type { DescribedGateway } from '../igd-client/gateways';
import type { RunContext } from './context';
import { natPmpHost } from './natpmp-steps';
import { describeError } from './recorder';
import { routerUpnpEnabled } from './router-checks';

/** The second search listens this long. UDA 1.1 §1.3.2 lets a device wait up to MX (we send 1–2 s)
 *  before answering; a busy router or a lossy Wi-Fi multicast can take longer than the first 2.5 s. */
export const LONG_SSDP_WINDOW_MS = 8000;

/** NAT-PMP's external address request (RFC 6886 §3.2) to the gateway NAT-PMP would use; the
 *  answering host, or null. */
async function natPmpAnswers(c: RunContext, evidence: string[]): Promise<string | null> {
  try {
    const { host } = await natPmpHost(c);
    const ext = await c.ports.natPmpClient({ host, port: c.opts.natPmpPort ?? 5351 }).externalAddress();
    evidence.push(`NAT-PMP external address request to ${host} → ${ext.address}: the router is there and maps ports`);
    return host;
  } catch (e) {
    evidence.push(`NAT-PMP did not answer either (${describeError(e)})`);
    return null;
  }
}

/**
 * After an empty first search: when NAT-PMP answers (and the router, if connected, does not say UPnP
 * is off), search once more for LONG_SSDP_WINDOW_MS. Sets `c.natPmpWithoutSsdp` when NAT-PMP
 * answered, so the advice names what really happened. Returns what the second search found.
 */
export async function searchAgainIfNatPmpAnswers(
  c: RunContext,
  evidence: string[],
  search: (windowMs: number) => Promise<DescribedGateway[]>,
): Promise<DescribedGateway[]> {
  if (c.opts.gatewayUrl || c.opts.natPmp === false) return [];
  if (c.ports.router && !(await routerUpnpEnabled(c.ports.router).catch(() => true))) return [];
  const host = await natPmpAnswers(c, evidence);
  if (!host) return [];
  c.natPmpWithoutSsdp = host;
  evidence.push(`no SSDP answer within the first window: searching again for ${LONG_SSDP_WINDOW_MS / 1000} s`);
  const found = await search(LONG_SSDP_WINDOW_MS);
  if (found.length)
    evidence.push(`the gateway answered only the longer search: apps that search briefly (most games) may not find it`);
  return found;
}

/** What to do when the router answered NAT-PMP but not UPnP discovery, even on the longer search. */
export function natPmpButNoSsdpAdvice(host: string): string {
  return (
    `The router (${host}) answered NAT-PMP but not UPnP discovery, even when PortPilot listened ${LONG_SSDP_WINDOW_MS / 1000} s: ` +
    'apps using NAT-PMP can map ports, apps using UPnP cannot find the router. Something drops SSDP (UDP 1900) between this PC and the router: ' +
    'a firewall rule on the router’s LAN side (the Troubleshooter’s ssdp-blocked check finds it), this PC’s firewall dropping the answers, ' +
    'or this PC’s network not being an internal UPnP interface (/ip upnp interfaces). ' +
    'To test UPnP meanwhile, give the gateway description URL by hand (RouterOS: http://<router>:2828/gateway.xml).'
  );
}
