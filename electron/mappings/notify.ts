/**
 * Notifications the guide's security section motivates: "applications could map ports below 1024"
 * and "any LAN host can open ports" — so a mapping on a privileged port, or from a host PortPilot has
 * never seen on this router, is worth a desktop notification (a toast in web mode).
 */
import type { MappingsSettings, MappingView, NoticePayload } from '../../shared/domains/mappings';

export const PRIVILEGED_BELOW = 1024;

export function noticesFor(view: MappingView, newHost: boolean, settings: MappingsSettings): NoticePayload[] {
  const who = view.owner.hostName ? `${view.owner.hostName} (${view.internalAddress})` : view.internalAddress;
  const what = `${view.protocol.toUpperCase()} ${view.externalPort} → ${who}:${view.internalPort}`;
  const out: NoticePayload[] = [];
  if (settings.notifyPrivileged && view.externalPort < PRIVILEGED_BELOW) {
    out.push({
      kind: 'privileged-port',
      mappingId: view.id,
      title: `Privileged port ${view.externalPort} opened`,
      message: `${what} "${view.description}". Ports below 1024 are usually servers; the guide recommends denying them.`,
    });
  }
  if (settings.notifyNewHost && newHost) {
    out.push({
      kind: 'new-host',
      mappingId: view.id,
      title: 'A new device opened a port',
      message: `${what} "${view.description}" from a device never seen on this router before.`,
    });
  }
  return out;
}
