import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { ProfileView, routerDomain, SessionState } from '../../../shared/domains/router';
import type { RouterPort } from '../../core/router-port';
import { readOverview } from './overview';
import type { RouterServicePorts, SessionPort, SessionTarget, StoredProfile } from './ports';

export const DEMO_PROFILE_ID = 'demo';

export interface RouterService extends DomainService<typeof routerDomain> {
  /** The live router for other services (mappings, configuration…); null when not connected. */
  currentRouter(): RouterPort | null;
  /** Fires on every session state change (other services re-snapshot on connect). */
  onState(listener: (state: SessionState) => void): () => void;
  dispose(): Promise<void>;
}

/**
 * The router domain: one live session at a time, saved profiles with their secrets, and the embedded
 * demo router. Passwords come in through connect/saveProfile and never leave this service.
 */
export function createRouterService(ports: RouterServicePorts, emit: EventSink<typeof routerDomain>): RouterService {
  let session: SessionPort | null = null;
  let unsubscribe: () => void = () => {};
  let demo: Awaited<ReturnType<RouterServicePorts['startDemoRouter']>> | null = null;
  let state: SessionState = { kind: 'idle' };

  const stateListeners = new Set<(state: SessionState) => void>();
  const setState = (next: SessionState) => {
    state = next;
    emit('state', next);
    stateListeners.forEach((l) => l(next));
  };

  function currentRouter(): RouterPort | null {
    if (state.kind !== 'connected' || !session) return null;
    // The session already offers every RouterPort menu method; add the probed capabilities.
    return { ...session, capabilities: state.capabilities };
  }

  async function closeCurrent(): Promise<void> {
    unsubscribe();
    unsubscribe = () => {};
    const old = session;
    session = null;
    await old?.close().catch(() => {});
  }

  async function stopDemo(): Promise<void> {
    const old = demo;
    demo = null;
    await old?.stop().catch((err: unknown) => ports.log(`demo router stop failed: ${String(err)}`));
  }

  async function open(profileId: string, target: SessionTarget, label: string): Promise<SessionState> {
    await closeCurrent();
    const next = ports.openSession(target);
    session = next;
    setState({ kind: 'connecting', target: label });
    unsubscribe = next.onState((s) => {
      if (session !== next) return;
      if (s.kind === 'connected')
        setState({ kind: 'connected', target: label, profileId, capabilities: s.capabilities });
      else if (s.kind === 'reconnecting') setState({ ...s, target: label });
      else if (s.kind === 'disconnected') setState({ kind: 'disconnected', target: label, reason: s.reason });
    });
    try {
      const capabilities = await next.connect();
      setState({ kind: 'connected', target: label, profileId, capabilities });
      return state;
    } catch (err) {
      await closeCurrent();
      const described = ports.describeError(err);
      setState({ kind: 'disconnected', target: label, reason: described.message });
      throw new ContractError(described.code, described.message, described.detail);
    }
  }

  async function passwordFor(profile: StoredProfile, given: string | undefined): Promise<string> {
    if (given !== undefined) return given;
    const saved = profile.passwordMode === 'saved' ? await ports.secrets.get(profile.id) : null;
    if (saved === null) {
      throw new ContractError('needs-password', `Enter the password for ${profile.user}@${profile.host}.`);
    }
    return saved;
  }

  async function view(profile: StoredProfile): Promise<ProfileView> {
    const { passwordMode, ...rest } = profile;
    const hasSavedPassword = passwordMode === 'saved' && (await ports.secrets.has(profile.id));
    return { ...rest, hasSavedPassword, builtIn: false };
  }

  return {
    currentRouter,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },

    async listProfiles() {
      const stored = await ports.profiles.list();
      return Promise.all(stored.map(view));
    },

    async saveProfile(input) {
      const { password, savePassword, ...fields } = input;
      const saved = await ports.profiles.save({ ...fields, passwordMode: savePassword ? 'saved' : 'ask' });
      if (!savePassword) await ports.secrets.delete(saved.id);
      else if (password !== undefined) await ports.secrets.set(saved.id, password);
      return view(saved);
    },

    async deleteProfile({ id }) {
      if (!(await ports.profiles.get(id))) throw new ContractError('not-found', 'That profile no longer exists.');
      await ports.profiles.remove(id);
      await ports.secrets.delete(id);
    },

    async testConnection(input) {
      const stored = input.id ? await ports.profiles.get(input.id) : undefined;
      const password = input.password ?? (stored ? await ports.secrets.get(stored.id) : null) ?? '';
      return ports.testConnection({
        host: input.host,
        port: input.port,
        transport: input.transport,
        user: input.user,
        password,
        pinnedFingerprint: stored?.pinnedFingerprint ?? null,
      });
    },

    async connect({ profileId, password, acceptFingerprint }) {
      const profile = await ports.profiles.get(profileId);
      if (!profile) throw new ContractError('not-found', 'That profile no longer exists.');
      const pinned = acceptFingerprint ?? profile.pinnedFingerprint;
      const target: SessionTarget = {
        ...profile,
        password: await passwordFor(profile, password),
        pinnedFingerprint: pinned,
      };
      await stopDemo();
      const result = await open(profile.id, target, `${profile.user}@${profile.host}:${profile.port}`);
      await ports.profiles.update(profile.id, { lastUsedAt: new Date().toISOString(), pinnedFingerprint: pinned });
      return result;
    },

    async startDemo({ profile, scenario }) {
      await closeCurrent();
      await stopDemo();
      demo = await ports.startDemoRouter({ profile, scenario });
      const target: SessionTarget = {
        host: demo.host,
        port: demo.apiPort,
        transport: 'api',
        user: demo.user,
        password: demo.password,
        pinnedFingerprint: null,
      };
      return open(DEMO_PROFILE_ID, target, `demo router (${profile}, ${scenario})`);
    },

    async disconnect() {
      await closeCurrent();
      await stopDemo();
      setState({ kind: 'idle' });
      return state;
    },

    async state() {
      return state;
    },

    async overview() {
      const live = currentRouter();
      if (!live) {
        throw new ContractError('not-connected', 'Not connected to a router: connect on the Connect screen first.');
      }
      try {
        return await readOverview(live);
      } catch (err) {
        const described = ports.describeError(err);
        throw new ContractError(described.code, described.message, described.detail);
      }
    },

    async secretStorage() {
      return { kind: ports.secrets.kind, weaker: ports.secrets.weaker };
    },

    async dispose() {
      await closeCurrent();
      await stopDemo();
    },
  };
}
