import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorData } from '../../../shared/contract/result';
import type {
  DemoDialect,
  DemoScenario,
  Overview,
  ProfileInput,
  ProfileView,
  SecretStorageView,
  SessionState,
  TestStep,
} from '../../../shared/domains/router';
import { connectApi } from '../api';
import { useSubscriptions } from '../composables/subscriptions';

/** What the Connect screen must ask the user before it can go on. */
export type PendingPrompt =
  | { kind: 'password'; profileId: string; label: string }
  | {
      kind: 'fingerprint';
      profileId: string;
      fingerprint: string;
      message: string;
      changed: boolean;
      /** No certificate at all (anonymous DH): encrypted but not authenticated. */
      anonymous: boolean;
    };

/** The router domain: profiles, the live session's state, the Overview. Never holds a password. */
export const useRouterStore = defineStore('router', () => {
  const api = () => connectApi().api.router;
  const life = useSubscriptions();
  const profiles = shallowRef<ProfileView[]>([]);
  /** False until the saved routers were read once: an empty list before that is "not known yet", not "none". */
  const profilesLoaded = ref(false);
  /** Why the saved routers could not be read (the list keeps what it showed before), or null. */
  const profilesError = ref<string | null>(null);
  const state = ref<SessionState>({ kind: 'idle' });
  const overview = shallowRef<Overview | null>(null);
  const overviewError = ref<string | null>(null);
  const lastError = ref<ErrorData | null>(null);
  const busy = ref(false);
  const prompt = ref<PendingPrompt | null>(null);
  const secretStorage = ref<SecretStorageView | null>(null);
  const connected = computed(() => state.value.kind === 'connected');
  /** Counts connections made by this window's own actions (the Connect screen moves on to the Overview). */
  const connectsByUser = ref(0);
  /**
   * Changes whenever what the screens show may belong to another router, or to none: a new connect, a
   * different router, a disconnect. A reconnect of the same session keeps it (its data comes back).
   * Stores that hold a router's data (mappings) drop it when this changes.
   */
  const session = ref(0);

  /** State events heard so far: an answer to `state()` older than the last event is not applied. */
  let heard = 0;
  /** False until main has said the state once: the initial `idle` is a placeholder, not a session. */
  let known = false;
  function setState(next: SessionState): void {
    // The first real state continues whatever the screens already loaded (a window opened while
    // connected must keep the snapshot it fetched before the state's answer came back).
    if (known && startsNewSession(state.value, next)) session.value++;
    known = true;
    state.value = next;
    if (next.kind !== 'connected') overview.value = null;
  }

  /** Reads what may have changed while this window could not hear main (web mode: the socket dropped). */
  async function refresh(): Promise<void> {
    const before = heard;
    const r = await api().state();
    if (r.ok && heard === before) setState(r.value);
    void api()
      .secretStorage()
      .then((s) => s.ok && (secretStorage.value = s.value));
    await loadProfiles();
  }

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    life.keep(
      api().onState((next) => {
        heard++;
        setState(next);
      }),
    );
    let missed = false;
    life.keep(
      connectApi().onSocketState((s) => {
        if (s === 'open' && missed) void refresh();
        missed = s !== 'open' && s !== 'connecting';
      }),
    );
    void refresh();
  }

  async function loadProfiles(): Promise<void> {
    const result = await api().listProfiles();
    if (result.ok) profiles.value = result.value;
    profilesError.value = result.ok ? null : result.error.message;
    profilesLoaded.value = true;
  }

  async function run<T>(call: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorData }>) {
    busy.value = true;
    lastError.value = null;
    try {
      const result = await call();
      if (!result.ok) lastError.value = result.error;
      return result;
    } finally {
      busy.value = false;
    }
  }

  async function saveProfile(input: ProfileInput) {
    const result = await run(() => api().saveProfile(input));
    if (result.ok) await loadProfiles();
    return result;
  }

  async function deleteProfile(id: string) {
    const result = await run(() => api().deleteProfile({ id }));
    await loadProfiles();
    return result;
  }

  async function testConnection(
    input: ProfileInput,
  ): Promise<{ steps: TestStep[]; fingerprint: string | null } | null> {
    const result = await run(() => api().testConnection(input));
    return result.ok ? result.value : null;
  }

  async function connect(profileId: string, extra: { password?: string; acceptFingerprint?: string } = {}) {
    prompt.value = null;
    const result = await run(() => api().connect({ profileId, ...extra }));
    if (result.ok) connectsByUser.value++;
    if (!result.ok) {
      const { code, message, detail } = result.error;
      const profile = profiles.value.find((p) => p.id === profileId);
      if (code === 'needs-password' || (code === 'login-failed' && !extra.password && !profile?.hasSavedPassword)) {
        prompt.value = { kind: 'password', profileId, label: profile ? `${profile.user}@${profile.host}` : profileId };
      } else if ((code === 'tls-untrusted' || code === 'tls-changed') && hasFingerprint(detail)) {
        prompt.value = {
          kind: 'fingerprint',
          profileId,
          fingerprint: detail.fingerprint,
          message,
          changed: code === 'tls-changed',
          anonymous: detail.anonymous === true,
        };
      }
    }
    await loadProfiles();
    return result;
  }

  /** Started at login without a saved password (the tray's "needs your password"): ask for it here. */
  async function askPassword(profileId: string): Promise<void> {
    await loadProfiles();
    const profile = profiles.value.find((p) => p.id === profileId);
    if (profile) prompt.value = { kind: 'password', profileId, label: `${profile.user}@${profile.host}` };
  }

  async function startDemo(dialect: DemoDialect, scenario: DemoScenario) {
    const result = await run(() => api().startDemo({ dialect, scenario }));
    if (result.ok) connectsByUser.value++;
    return result;
  }

  async function disconnect() {
    return run(() => api().disconnect());
  }

  async function loadOverview(): Promise<void> {
    const result = await api().overview();
    overview.value = result.ok ? result.value : null;
    overviewError.value = result.ok ? null : result.error.message;
  }

  return {
    profiles,
    profilesLoaded,
    profilesError,
    state,
    overview,
    overviewError,
    lastError,
    busy,
    prompt,
    secretStorage,
    connected,
    connectsByUser,
    session,
    start,
    loadProfiles,
    saveProfile,
    deleteProfile,
    testConnection,
    connect,
    askPassword,
    startDemo,
    disconnect,
    loadOverview,
  };
});

const routerOf = (s: SessionState): string | null =>
  s.kind === 'idle' ? null : JSON.stringify([s.router.profileId, s.router.host, s.router.port, s.router.demo]);

/** A state that cannot continue what the previous one showed (see `session`). */
export function startsNewSession(prev: SessionState, next: SessionState): boolean {
  if (next.kind === 'connecting' && prev.kind !== 'connecting') return true;
  // The user disconnected (idle): nothing of that router stays. The link was lost (disconnected): the
  // rows stay on screen, marked "as last seen", until the user connects again.
  if (next.kind === 'idle' && prev.kind !== 'idle') return true;
  return routerOf(prev) !== routerOf(next);
}

function hasFingerprint(detail: unknown): detail is { fingerprint: string; anonymous?: unknown } {
  return (
    typeof detail === 'object' &&
    detail !== null &&
    typeof (detail as { fingerprint?: unknown }).fingerprint === 'string'
  );
}
