/**
 * The words of an alert: one mapping, several from one device ("3 new mappings from alex-laptop"), or
 * a summary of several devices when the rate limit held them back (alert-gate.ts).
 */
import { ALERT_REASONS, MAX_NOTICE_IDS, type AlertReason, type NoticePayload } from '../../shared/domains/alerts';
import type { MappingAlert } from './alert-rules';

/** Alerts that wait together: every new mapping one device opened within the grouping window. */
export interface AlertGroup {
  device: MappingAlert['device'];
  alerts: MappingAlert[];
  /** All of them, also those beyond MAX_NOTICE_IDS. */
  count: number;
}

const REASON_TEXT: Record<AlertReason, string> = {
  'privileged-port': 'a privileged port (below 1024: usually a server, which is best not opened by UPnP)',
  'watched-port': 'a port on your watch list',
  'new-host': 'a device never seen on this router before',
  'unknown-vendor': 'a device whose network card maker is in no registry',
};

const SINGLE_TITLE: Record<AlertReason, (a: MappingAlert) => string> = {
  'privileged-port': (a) => `Privileged port ${a.externalPort} opened`,
  'watched-port': (a) => `Watched port ${a.externalPort} opened`,
  'new-host': () => 'A new device opened a port',
  'unknown-vendor': () => 'A device of unknown make opened a port',
};

export function groupNotice(group: AlertGroup): NoticePayload {
  const first = group.alerts[0]!;
  const reasons = reasonsOf(group.alerts);
  const base = {
    kind: reasons[0]!,
    reasons,
    mappingId: first.mappingId,
    mappingIds: group.alerts.slice(0, MAX_NOTICE_IDS).map((a) => a.mappingId),
    count: group.count,
    device: { label: group.device.label, address: group.device.address },
  };
  if (group.count === 1) {
    return { ...base, title: SINGLE_TITLE[first.reasons[0]!](first), message: `${first.what}: ${because(reasons)}.` };
  }
  const ports = group.alerts.slice(0, 3).map((a) => a.port);
  const more = group.count > ports.length ? ` and ${group.count - ports.length} more` : '';
  return {
    ...base,
    title: `${group.count} new mappings from ${group.device.label}`,
    message: `${ports.join(', ')}${more}: ${because(reasons)}.`,
  };
}

export function summaryNotice(groups: AlertGroup[], perMinute: number): NoticePayload {
  const alerts = groups.flatMap((g) => g.alerts);
  const reasons = reasonsOf(alerts);
  const count = groups.reduce((n, g) => n + g.count, 0);
  const labels = groups.slice(0, 3).map((g) => g.device.label);
  const more = groups.length > labels.length ? ` and ${groups.length - labels.length} more` : '';
  return {
    kind: reasons[0]!,
    reasons,
    mappingId: alerts[0]!.mappingId,
    mappingIds: alerts.slice(0, MAX_NOTICE_IDS).map((a) => a.mappingId),
    count,
    device: null,
    title: `${count} new mappings from ${groups.length} devices`,
    message:
      `From ${labels.join(', ')}${more}: ${because(reasons)}. ` +
      `Put together because PortPilot shows at most ${perMinute} alerts a minute.`,
  };
}

function reasonsOf(alerts: MappingAlert[]): AlertReason[] {
  const all = new Set(alerts.flatMap((a) => a.reasons));
  return ALERT_REASONS.filter((r) => all.has(r));
}

function because(reasons: AlertReason[]): string {
  const parts = reasons.map((r) => REASON_TEXT[r]);
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
