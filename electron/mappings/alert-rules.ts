/**
 * Which new mapping is worth an alert (issue 16) — one rule set for desktop notifications, browser
 * notifications and in-app toasts. The guide's security section motivates the first two: "applications
 * could map ports below 1024" and "any LAN host can open ports". A watch list covers ports the user
 * never wants opened (remote desktops above 1024 among them), and a MAC whose maker is in no IEEE
 * registry is a device worth a look.
 */
import { ALERT_REASONS, parseWatchPorts, type AlertReason } from '../../shared/domains/alerts';
import type { MappingsSettings, MappingView } from '../../shared/domains/mappings';
import { isRandomizedMac } from './oui';

export const PRIVILEGED_BELOW = 1024;

/** One new mapping that matters, before grouping and rate limiting (alert-gate.ts). */
export interface MappingAlert {
  mappingId: string;
  externalPort: number;
  /** `TCP 80`. */
  port: string;
  /** At least one, in ALERT_REASONS order. */
  reasons: AlertReason[];
  /** Who opened it: `key` groups alerts (MAC, else address); `label` is for people. */
  device: { key: string; label: string; address: string };
  /** `TCP 80 → alex-laptop (192.168.88.20):80 "web"`. */
  what: string;
}

/** What the monitor knows beyond the view. */
export interface AlertFacts {
  /** The owner (MAC, else address) was never seen on this router before. */
  newHost: boolean;
  /** The MAC vendor table is loaded: before that, a missing vendor means "not looked up yet". */
  vendorsLoaded: boolean;
}

export function alertFor(view: MappingView, facts: AlertFacts, settings: MappingsSettings): MappingAlert | null {
  const found = new Set<AlertReason>();
  if (settings.notifyPrivileged && view.externalPort < PRIVILEGED_BELOW) found.add('privileged-port');
  if (settings.notifyWatchedPort && watched(settings.watchPorts, view.externalPort)) found.add('watched-port');
  if (settings.notifyNewHost && facts.newHost) found.add('new-host');
  if (settings.notifyUnknownVendor && unknownVendor(view, facts)) found.add('unknown-vendor');
  if (found.size === 0) return null;
  const label = view.owner.hostName ?? view.internalAddress;
  const port = `${view.protocol.toUpperCase()} ${view.externalPort}`;
  const who = view.owner.hostName ? `${view.owner.hostName} (${view.internalAddress})` : view.internalAddress;
  return {
    mappingId: view.id,
    externalPort: view.externalPort,
    port,
    reasons: ALERT_REASONS.filter((r) => found.has(r)),
    device: { key: view.owner.mac ?? view.internalAddress, label, address: view.internalAddress },
    what: `${port} → ${who}:${view.internalPort} "${view.description}"`,
  };
}

/**
 * No vendor for a MAC we know, once the table is loaded. A locally administered (randomised) MAC has
 * no maker by design — phones use one per Wi-Fi network — so it does not count.
 */
function unknownVendor(view: MappingView, facts: AlertFacts): boolean {
  const mac = view.owner.mac;
  return facts.vendorsLoaded && mac !== null && view.owner.vendor === null && !isRandomizedMac(mac);
}

let parsed: { text: string; ranges: Array<[number, number]> } = { text: '', ranges: [] };

function watched(text: string, port: number): boolean {
  if (parsed.text !== text) parsed = { text, ranges: parseWatchPorts(text) ?? [] };
  return parsed.ranges.some(([from, to]) => port >= from && port <= to);
}
