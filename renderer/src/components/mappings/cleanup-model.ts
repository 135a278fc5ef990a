/**
 * The cleanup dialog's model, free of Vue: candidates grouped by device (2,000 stale mappings are a
 * few dozen devices: the dialog renders those, not 2,000 rows), the confirm button's words for the
 * plan, the summary line and the progress text.
 */
import type {
  CleanupCandidate,
  CleanupPlan,
  CleanupProgress,
  CleanupSummary,
  KeptOutcome,
  OutcomeGroup,
  TargetOutcome,
} from '../../../../shared/domains/mappings';
import { plural } from '../../../../shared/words';

export interface DeviceGroup {
  address: string;
  label: string;
  ids: string[];
  candidates: CleanupCandidate[];
  /** The distinct reasons of its mappings (at most three, for the row). */
  reasons: string[];
}

export function groupByDevice(candidates: readonly CleanupCandidate[]): DeviceGroup[] {
  const by = new Map<string, DeviceGroup>();
  for (const c of candidates) {
    const address = c.mapping.internalAddress;
    let g = by.get(address);
    if (!g) {
      const name = c.mapping.owner.hostName;
      g = { address, label: name ? `${name} (${address})` : address, ids: [], candidates: [], reasons: [] };
      by.set(address, g);
    }
    g.ids.push(c.mapping.id);
    g.candidates.push(c);
    for (const r of c.reasons) if (g.reasons.length < 3 && !g.reasons.includes(r.detail)) g.reasons.push(r.detail);
  }
  return [...by.values()].sort((a, b) => b.ids.length - a.ids.length || a.address.localeCompare(b.address));
}

/** What the confirm button says: the plan in three words, never a hope. */
export function confirmLabel(plan: CleanupPlan | null, ticked: number): string {
  if (!plan || ticked === 0) return 'Nothing selected';
  if (plan.strategy === 'none') return 'Nothing this router lets PortPilot remove';
  if (plan.strategy !== 'flush-and-restore') return `Remove ${plural(ticked, 'mapping')}`;
  const restart =
    plan.tryFirst.length > 0 ? `Remove ${plural(ticked, 'mapping')} (restart UPnP if refused)` : 'Restart UPnP';
  if (plan.loseCount > 0) return `${restart}: ${plan.loseCount} not restored`;
  return plan.restore > 0 ? `${restart} and restore ${plan.restore}` : restart;
}

/** `removed 4 · restored 10`, then whatever else happened. */
export function summaryLine(s: CleanupSummary): string {
  const parts = [`removed ${s.removed}`, `restored ${s.restored}`];
  if (s.back > 0) parts.push(`re-mapped by their devices ${s.back}`);
  if (s.notRestored > 0) parts.push(`not restored ${s.notRestored}`);
  if (s.skipped > 0) parts.push(`skipped ${s.skipped}`);
  if (s.failed > 0) parts.push(`failed ${s.failed}`);
  return parts.join(' · ');
}

const TITLES: Record<OutcomeGroup['outcome'], string> = {
  removed: 'Removed',
  skipped: 'Skipped',
  failed: 'Not removed',
  restored: 'Restored',
  back: 'Back',
  'not-restored': 'Not restored',
};
export const groupTitle = (g: OutcomeGroup): string => `${TITLES[g.outcome]} (${g.count}): ${g.reason}`;

/** `tcp/3074` → `TCP 3074`: a mapping id in words (anything else as it is). */
const mappingWords = (id: string): string => {
  const m = /^(tcp|udp)\/(\d+)$/.exec(id);
  return m ? `${m[1]?.toUpperCase()} ${m[2]}` : id;
};

/** `TCP 3074 → PS5-Living-Room (192.168.88.20) "PS5 PSN 3074"` for each id of a group, at most `max`. */
export function groupLines(g: OutcomeGroup, s: CleanupSummary, max = 200): string[] {
  const by = new Map<string, TargetOutcome | KeptOutcome>();
  for (const o of [...s.targets, ...s.kept]) by.set(o.id, o);
  const lines = g.ids.slice(0, max).map((id) => {
    const o = by.get(id);
    if (!o) return mappingWords(id);
    const who = o.hostName ? `${o.hostName} (${o.internalAddress})` : o.internalAddress;
    return `${mappingWords(id)} → ${who}${o.description ? ` “${o.description}”` : ''}`;
  });
  if (g.ids.length > max) lines.push(`… and ${g.ids.length - max} more`);
  return lines;
}

const PHASES: Record<CleanupProgress['phase'], string> = {
  waiting: 'Waiting',
  checking: 'Checking each mapping again',
  removing: 'Removing',
  restarting: 'Restarting UPnP',
  restoring: 'Restoring the mappings you keep',
  verifying: 'Verifying on the router',
  done: 'Done',
};

export function progressText(p: CleanupProgress): string {
  if (p.message) return p.message;
  return p.total > 0 ? `${PHASES[p.phase]}: ${p.done} of ${p.total}` : PHASES[p.phase];
}

/** `25 devices` / `old-laptop`. */
export function deviceWords(candidates: readonly CleanupCandidate[]): string {
  const devices = new Map<string, string>();
  for (const c of candidates)
    devices.set(c.mapping.internalAddress, c.mapping.owner.hostName ?? c.mapping.internalAddress);
  const [first] = devices.values();
  return devices.size === 1 && first ? first : `${devices.size} devices`;
}
