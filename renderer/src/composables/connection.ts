import { computed, type ComputedRef } from 'vue';
import type { SocketState } from '../api/ws-transport';
import { useAppStore } from '../stores/app';
import { useMappingsStore } from '../stores/mappings';
import { useRouterStore } from '../stores/router';

export type ConnectionTone = 'success' | 'info' | 'warning' | 'error' | 'default';

export interface Connection {
  /** PortPilot's backend is reachable and the router session is connected: changes can be made. */
  connected: ComputedRef<boolean>;
  /** Connected and the mappings are followed live (the router pushes every change). */
  live: ComputedRef<boolean>;
  /** Connected with a login that may not change anything (no `write` policy). */
  readOnly: ComputedRef<boolean>;
  /** Short, for the header and badges: "HomeRouter · admin@192.168.88.1:8729", "Reconnecting in 4 s". */
  label: ComputedRef<string>;
  /** Why nothing can be done right now, in a sentence for people; null when connected. */
  reason: ComputedRef<string | null>;
  /** The colour that goes with `label`. */
  tone: ComputedRef<ConnectionTone>;
}

const BACKEND: Partial<Record<SocketState, { label: string; reason: string; tone: ConnectionTone }>> = {
  connecting: { label: 'Starting…', reason: 'PortPilot is starting.', tone: 'info' },
  reconnecting: {
    label: 'PortPilot not reachable',
    reason: 'Lost the link to PortPilot’s server; trying again. Nothing can be changed until it is back.',
    tone: 'warning',
  },
  lost: {
    label: 'PortPilot stopped',
    reason:
      'PortPilot’s server stopped answering at this address. If you restarted it, open the new address it printed (the line with “?token=”); this tab reconnects by itself if it comes back here.',
    tone: 'error',
  },
  refused: {
    label: 'PortPilot restarted',
    reason:
      'PortPilot was restarted with a new access token, so this tab can no longer reach it. Open the new address it printed (the line with “?token=”) and close this tab.',
    tone: 'error',
  },
};

/** A message as a clause of a longer sentence: without its final full stop. */
const clause = (text: string) => text.trim().replace(/[.\s]+$/, '');

/**
 * The one answer to "can PortPilot reach the router now?" for the header, the sidebar and every screen
 * (issue 13: the Mappings screen said "live" while the router was unreachable). Built from the stores
 * only — the backend link (app store), the router session (router store), the mappings monitor — so
 * every place that asks gets the same answer at the same moment.
 */
export function useConnection(): Connection {
  const app = useAppStore();
  const router = useRouterStore();
  const mappings = useMappingsStore();
  app.start();
  router.start();

  const backend = computed(() => (app.socketState === 'open' ? null : (BACKEND[app.socketState] ?? null)));
  const connected = computed(() => backend.value === null && router.state.kind === 'connected');
  const live = computed(() => connected.value && mappings.status.phase === 'live');
  const readOnly = computed(
    () => router.state.kind === 'connected' && router.state.capabilities.policy?.write === false,
  );

  const view = computed(() => {
    if (backend.value) return backend.value;
    const s = router.state;
    switch (s.kind) {
      case 'connected':
        return {
          label: `${s.capabilities.identity} · ${s.router.label}${readOnly.value ? ' · read-only' : ''}`,
          reason: null,
          tone: 'success' as const,
        };
      case 'connecting':
        return {
          label: `Connecting to ${s.router.label}…`,
          reason: `Connecting to ${s.router.label}…`,
          tone: 'info' as const,
        };
      case 'reconnecting':
        return {
          label: `Reconnecting in ${Math.ceil(s.inMs / 1000)} s`,
          reason: `Lost the connection to ${s.router.label}: ${clause(s.reason)}. Trying again; nothing can be changed until it is back.`,
          tone: 'warning' as const,
        };
      case 'disconnected':
        return {
          label: 'Disconnected',
          reason: `Disconnected from ${s.router.label}: ${clause(s.reason)}.`,
          tone: 'error' as const,
        };
      default:
        return { label: 'No router', reason: 'Not connected to a router.', tone: 'default' as const };
    }
  });

  return {
    connected,
    live,
    readOnly,
    label: computed(() => view.value.label),
    reason: computed(() => view.value.reason),
    tone: computed(() => view.value.tone),
  };
}
