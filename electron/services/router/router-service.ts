import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { routerDomain, SessionState } from '../../../shared/domains/router';
import { routerLabel, type RouterLink } from '../../core/router-link';
import { RouterConnection } from './connection';
import { readOverview } from './overview';
import type { RouterServicePorts } from './ports';
import { ProfileBook } from './profiles';

export const DEMO_PROFILE_ID = 'demo';

const DIALECT_NAMES = { routeros7: 'RouterOS 7', seed: 'UPnP lists' } as const;

export interface RouterService extends DomainService<typeof routerDomain> {
  /** The live router for other services (mappings, configuration…); null when not connected. */
  routerLink(): RouterLink | null;
  /** Fires on every session state change (other services re-snapshot on connect). */
  onState(listener: (state: SessionState) => void): () => void;
  /** Closes the connection after an internal fault and says so in the state's reason. */
  dropSession(reason: string): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The router domain: one live connection at a time, saved profiles with their secrets, and the
 * embedded demo router. Passwords come in through connect/saveProfile and never leave this service.
 */
export function createRouterService(ports: RouterServicePorts, emit: EventSink<typeof routerDomain>): RouterService {
  const connection = new RouterConnection(ports, (s) => emit('state', s));
  const book = new ProfileBook(ports.profiles, ports.secrets);

  return {
    routerLink: () => connection.router(),
    onState: (listener) => connection.onState(listener),
    dropSession: (reason) => connection.drop(reason),
    listProfiles: () => book.list(),
    saveProfile: (input) => book.save(input),
    deleteProfile: ({ id }) => book.remove(id),

    async testConnection(input) {
      const stored = input.id ? await ports.profiles.get(input.id) : undefined;
      const pinned = stored?.pinnedFingerprint ?? null;
      const password = stored
        ? await book.passwordFor(stored, { ...input, fingerprint: pinned }, input.password)
        : (input.password ?? '');
      return ports.testConnection({ ...input, password, pinnedFingerprint: pinned });
    },

    async connect({ profileId, password, acceptFingerprint }) {
      const profile = await book.require(profileId);
      const pinned = acceptFingerprint ?? profile.pinnedFingerprint;
      const target = {
        ...profile,
        password: await book.passwordFor(profile, { ...profile, fingerprint: pinned }, password),
        pinnedFingerprint: pinned,
      };
      await connection.stopDemo();
      const { host, port, transport, user } = profile;
      const ref = { profileId, host, port, transport, label: routerLabel(user, host, port), demo: null };
      const result = await connection.open(target, { ref });
      await book.markUsed(profile.id, pinned);
      return result;
    },

    startDemo: ({ dialect, scenario }) =>
      connection.openDemo(
        {
          profileId: DEMO_PROFILE_ID,
          transport: 'api',
          label: `demo router (${DIALECT_NAMES[dialect]}, ${scenario})`,
          demo: { dialect, scenario },
        },
        { dialect, scenario },
      ),

    disconnect: () => connection.close(),
    state: async () => connection.state,

    async overview() {
      const live = connection.router();
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

    secretStorage: async () => ({
      kind: ports.secrets.kind,
      weaker: ports.secrets.weaker,
      backend: ports.secrets.backend,
      canSave: ports.secrets.canSave,
      reason: ports.secrets.cannotSaveReason,
    }),

    dispose: () => connection.dispose(),
  };
}
