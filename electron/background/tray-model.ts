/**
 * What the tray shows, as data (issue 16): the tooltip, the macOS menu-bar title and the menu items,
 * computed from the watch state alone. main/tray.ts turns it into an Electron Tray and Menu; tests read
 * it directly. Host names come from the router's DHCP leases (untrusted): labels are cleaned and bounded.
 */
import type { OpenRequest } from '../../shared/domains/app';
import type { MonitorPhase } from '../../shared/domains/mappings';
import type { SessionState } from '../../shared/domains/router';
import { plural } from '../../shared/words';

export interface RecentMapping {
  id: string;
  /** `UDP 3074 · xbox-series-x`. */
  label: string;
}

export interface TrayState {
  router: SessionState;
  phase: MonitorPhase;
  count: number;
  stale: number;
  /** Newest first. */
  recent: RecentMapping[];
  alertsPaused: boolean;
  /** A start at login found no saved password for the last router: PortPilot waits for the user. */
  needsPassword: { profileId: string; label: string } | null;
}

export type TrayAction = { kind: 'open'; request: OpenRequest | null } | { kind: 'toggle-alerts' } | { kind: 'quit' };

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action: TrayAction | null }
  | { type: 'checkbox'; label: string; checked: boolean; action: TrayAction };

export interface TrayView {
  tooltip: string;
  /** Beside the icon in the macOS menu bar (the live count); other platforms show no title. */
  title: string;
  items: TrayItem[];
}

/** Windows cuts a tray tooltip at 127 characters (NOTIFYICONDATA szTip is 128 with the NUL). */
export const TOOLTIP_MAX = 127;
const LABEL_MAX = 60;

export const INITIAL_TRAY_STATE: TrayState = {
  router: { kind: 'idle' },
  phase: 'idle',
  count: 0,
  stale: 0,
  recent: [],
  alertsPaused: false,
  needsPassword: null,
};

export function statusLine(s: TrayState): string {
  if (s.needsPassword && s.router.kind !== 'connected') return `Needs your password for ${s.needsPassword.label}`;
  switch (s.router.kind) {
    case 'idle':
      return 'Not connected to a router';
    case 'connecting':
      return `Connecting to ${s.router.router.label}…`;
    case 'reconnecting':
      return `Reconnecting to ${s.router.router.label}…`;
    case 'disconnected':
      return `Disconnected from ${s.router.router.label}`;
    case 'connected':
      return connectedLine(s);
  }
}

function connectedLine(s: TrayState): string {
  if (s.phase === 'loading' || s.phase === 'idle') return 'Reading the mappings…';
  if (s.phase === 'error') return 'Could not read the mappings';
  const stale = s.stale > 0 ? ` · ${s.stale} stale` : '';
  return `${plural(s.count, 'mapping')}${stale}${s.phase === 'resyncing' ? ' · catching up' : ''}`;
}

export function trayView(s: TrayState, platform: NodeJS.Platform): TrayView {
  const label = (text: string) => menuLabel(text, platform);
  const connected = s.router.kind === 'connected';
  const items: TrayItem[] = [
    { type: 'normal', label: label(statusLine(s)), enabled: false, action: null },
    { type: 'normal', label: 'Open PortPilot', enabled: true, action: { kind: 'open', request: null } },
  ];
  if (connected && s.recent.length > 0) {
    items.push({ type: 'separator' }, { type: 'normal', label: 'New mappings', enabled: false, action: null });
    for (const r of s.recent) {
      const request: OpenRequest = { kind: 'mapping', mappingId: r.id, filter: null };
      items.push({ type: 'normal', label: label(r.label), enabled: true, action: { kind: 'open', request } });
    }
  }
  items.push({ type: 'separator' });
  if (s.needsPassword && !connected) {
    const request: OpenRequest = { kind: 'password', profileId: s.needsPassword.profileId };
    const text = `Enter the password for ${s.needsPassword.label}…`;
    items.push({ type: 'normal', label: label(text), enabled: true, action: { kind: 'open', request } });
  }
  if (connected) {
    items.push({
      type: 'normal',
      label: s.stale > 0 ? `Clean up ${plural(s.stale, 'stale mapping')}…` : 'No stale mappings',
      enabled: s.stale > 0,
      // Opens the preview: nothing is removed before the user has seen and confirmed it.
      action: { kind: 'open', request: { kind: 'cleanup' } },
    });
  }
  items.push(
    { type: 'checkbox', label: 'Pause alerts', checked: s.alertsPaused, action: { kind: 'toggle-alerts' } },
    { type: 'separator' },
    { type: 'normal', label: 'Quit PortPilot', enabled: true, action: { kind: 'quit' } },
  );
  return { tooltip: tooltip(s), title: connected && s.phase !== 'loading' ? String(s.count) : '', items };
}

function tooltip(s: TrayState): string {
  const lines = [`PortPilot — ${statusLine(s)}`];
  if (s.router.kind === 'connected') lines.push(s.router.router.label);
  if (s.alertsPaused) lines.push('Alerts paused');
  const text = lines.map(clean).join('\n');
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}

/** No control characters, bounded; `&` doubled where it would mark a mnemonic (Windows, Linux menus). */
export function menuLabel(text: string, platform: NodeJS.Platform): string {
  const short = clean(text);
  const bounded = short.length > LABEL_MAX ? `${short.slice(0, LABEL_MAX - 1)}…` : short;
  return platform === 'darwin' ? bounded : bounded.replace(/&/g, '&&');
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
}
