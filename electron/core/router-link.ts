/**
 * RouterLink: the connected router as one value. It is a RouterPort (the menus every router-facing
 * service uses) plus what it is connected to — host, port, transport, the saved profile, the demo
 * router's endpoints — and one state stream already in the contract's shape. It is the only adapter
 * from RouterSession (node-routeros over real sockets) to the services, the CLI, the integration tests
 * and the bench (issue 17: no relays, no label parsed back into a host).
 */
import type { Capabilities, RouterRef, SessionState } from '../../shared/domains/router';
import {
  RouterSession,
  type Capabilities as SessionCapabilities,
  type RouterTarget,
  type SessionDeps,
  type SessionState as RawSessionState,
} from '../router-session';
import type { RawRow, RouterPort } from './router-port';

/** Where the embedded demo router serves UPnP IGD and NAT-PMP (random loopback ports). */
export interface DemoEndpoints {
  rootDescriptionUrl: string;
  natPmp: { host: string; port: number };
}

/** The RouterSession surface a link needs; tests may pass a fake. */
export type LinkSession = Pick<
  RouterSession,
  'connect' | 'close' | 'onState' | 'state' | 'print' | 'printEach' | 'add' | 'set' | 'remove' | 'command' | 'listen'
>;

export interface RouterLink extends RouterPort {
  /** What this link talks to, as values; `ref.label` is for people only. */
  readonly ref: RouterRef;
  readonly host: string;
  readonly port: number;
  readonly profileId: string;
  readonly label: string;
  readonly isDemo: boolean;
  /** Non-null on the embedded demo router: where its IGD and NAT-PMP listen. */
  readonly endpoints: DemoEndpoints | null;
  /**
   * A stable key for data kept per router (mapping history, learned cleanup strategy, the change
   * journal): the router's identity and address for a real router; one demo run for the demo router,
   * whose devices are new on every start.
   */
  readonly dataKey: string;
  /** The session's state in the contract's shape. */
  state(): SessionState;
  onState(listener: (state: SessionState) => void): () => void;
  /** Connects (or reconnects now); resolves with the probed capabilities. */
  connect(): Promise<Capabilities>;
  close(): Promise<void>;
}

/** The contract's capability facts from the session's richer probe. */
export function toContractCapabilities(c: SessionCapabilities): Capabilities {
  return {
    identity: c.identity,
    version: c.version,
    board: c.board ?? 'unknown board',
    architecture: c.architecture ?? 'unknown',
    uptimeSeconds: c.uptimeSeconds,
    menus: c.menus,
    policy: c.policy,
    encryption: c.transport === 'api' || !c.tls ? 'none' : c.tls.anonymous ? 'anonymous' : 'certificate',
  };
}

/** The session's state in the contract's shape (the one conversion). */
export function toContractState(s: RawSessionState, router: RouterRef): SessionState {
  switch (s.kind) {
    case 'idle':
    case 'connecting':
      return { kind: 'connecting', router };
    case 'connected':
      return { kind: 'connected', router, capabilities: toContractCapabilities(s.capabilities) };
    case 'reconnecting':
      return { kind: 'reconnecting', router, attempt: s.attempt, inMs: s.inMs, reason: s.reason };
    case 'disconnected':
      return { kind: 'disconnected', router, reason: s.error?.message ?? s.reason };
  }
}

export interface LinkInfo {
  ref: RouterRef;
  endpoints?: DemoEndpoints | null;
  /** For the demo router: what makes this run unique (the key of its per-run data). */
  runId?: string;
}

/** Wraps a session (not yet connected, or connected) as a RouterLink. */
export function createRouterLink(session: LinkSession, info: LinkInfo): RouterLink {
  const { ref } = info;
  let caps: Capabilities | null = null;
  const capabilities = (): Capabilities => {
    if (!caps) throw new Error(`${ref.label} is not connected yet: its capabilities are unknown.`);
    return caps;
  };
  const track = (s: RawSessionState) => {
    if (s.kind === 'connected') caps = toContractCapabilities(s.capabilities);
  };
  track(session.state);
  session.onState(track);
  const port: Omit<RouterPort, 'capabilities'> = {
    print: (menu, options = {}) => session.print(menu, { query: options.query, proplist: options.proplist }),
    printEach: (menu, onRow, options = {}) =>
      session.printEach(menu, (row) => onRow(row as RawRow), { query: options.query, proplist: options.proplist }),
    add: (menu, attrs) => session.add(menu, attrs),
    set: (menu, id, attrs) => session.set(menu, id, attrs),
    remove: (menu, ids) => session.remove(menu, ids),
    async command(menu, verb, attrs = {}) {
      const rows = await session.command(menu, verb, attrs);
      const ret = rows.find((row) => row['ret'] !== undefined)?.['ret'];
      return ret === undefined ? {} : { ret };
    },
    listen(menu, onRow, options = {}) {
      return session.listen(
        menu,
        (e) =>
          onRow(
            e.type === 'removed'
              ? { '.id': e.id, '.dead': 'true' }
              : { ...(e.row as RawRow), '.id': e.id ?? (e.row as RawRow)['.id'] ?? '' },
          ),
        { proplist: options.proplist, onResumed: options.onResumed },
      );
    },
  };
  return {
    ...port,
    get capabilities() {
      return capabilities();
    },
    ref,
    host: ref.host,
    port: ref.port,
    profileId: ref.profileId,
    label: ref.label,
    isDemo: ref.demo !== null,
    endpoints: info.endpoints ?? null,
    get dataKey() {
      if (ref.demo) return `demo-${ref.demo.dialect}-${ref.demo.scenario}-${info.runId ?? 'run'}`;
      return `${capabilities().identity}@${ref.host}:${ref.port}`;
    },
    state: () => toContractState(session.state, ref),
    onState: (listener) => session.onState((s) => listener(toContractState(s, ref))),
    connect: async () => toContractCapabilities(await session.connect()),
    close: () => session.close(),
  };
}

/** The label people see for a saved router. */
export const routerLabel = (user: string, host: string, port: number): string =>
  `${user}@${host.includes(':') ? `[${host}]` : host}:${port}`;

/** A RouterRef for a router reached without a saved profile (the CLI, tests, the bench). */
export function adHocRef(target: Pick<RouterTarget, 'host' | 'port' | 'transport' | 'user'>): RouterRef {
  return {
    profileId: 'ad-hoc',
    host: target.host,
    port: target.port,
    transport: target.transport,
    label: routerLabel(target.user, target.host, target.port),
    demo: null,
  };
}

/** Connects a session and returns its link; a failed connect leaves nothing open. */
export async function connectRouterLink(
  target: RouterTarget,
  deps: SessionDeps = {},
  info: LinkInfo = { ref: adHocRef(target) },
): Promise<RouterLink> {
  const link = createRouterLink(new RouterSession(target, deps), info);
  await link.connect().catch(async (e: unknown) => {
    await link.close().catch(() => undefined);
    throw e;
  });
  return link;
}
