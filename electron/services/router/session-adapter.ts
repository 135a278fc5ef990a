import type { Capabilities } from '../../../shared/domains/router';
import {
  RouterConnectionError,
  RouterSession,
  RouterTrapError,
  testConnection,
  ValidationError,
  type Capabilities as SessionCapabilities,
  type SessionDeps,
} from '../../router-session';
import type { PortSessionState, SessionPort, SessionTarget } from './ports';

/** The contract's capability facts from the session's richer probe. */
export function toCapabilities(c: SessionCapabilities): Capabilities {
  return {
    identity: c.identity,
    version: c.version,
    board: c.board ?? 'unknown board',
    architecture: c.architecture ?? 'unknown',
    uptimeSeconds: c.uptimeSeconds,
    menus: c.menus,
  };
}

/** RouterSession (node-routeros, real sockets) seen through the router service's SessionPort. */
export function openRouterSession(target: SessionTarget, deps: SessionDeps = {}): SessionPort {
  const session = new RouterSession({ ...target }, deps);
  return {
    connect: async () => toCapabilities(await session.connect()),
    close: () => session.close(),
    onState(listener) {
      return session.onState((s) => {
        const mapped = mapState(s);
        if (mapped) listener(mapped);
      });
    },
    print: (menu, options = {}) => session.print(menu, { query: options.query, proplist: options.proplist }),
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
        (event) => onRow(event.type === 'removed' ? { '.id': event.id, '.dead': 'true' } : event.row),
        { proplist: options.proplist, onResumed: options.onResumed },
      );
    },
  };
}

function mapState(s: RouterSession['state']): PortSessionState | null {
  switch (s.kind) {
    case 'connecting':
      return { kind: 'connecting' };
    case 'connected':
      return { kind: 'connected', capabilities: toCapabilities(s.capabilities) };
    case 'reconnecting':
      return { kind: 'reconnecting', attempt: s.attempt, inMs: s.inMs, reason: s.reason };
    case 'disconnected':
      return { kind: 'disconnected', reason: s.error?.message ?? s.reason };
    default:
      return null;
  }
}

const CONNECTION_CODES: Record<string, string> = {
  refused: 'unreachable',
  dns: 'unreachable',
  unreachable: 'unreachable',
  timeout: 'timeout',
  login: 'login-failed',
  'tls-untrusted': 'tls-untrusted',
  'tls-fingerprint-changed': 'tls-changed',
  'tls-handshake': 'tls-failed',
  closed: 'not-connected',
  down: 'not-connected',
  protocol: 'router-error',
};

/** Session errors as contract errors: the session's own wording, a code the UI can branch on. */
export function describeSessionError(err: unknown): { code: string; message: string; detail?: unknown } {
  if (err instanceof RouterConnectionError) {
    const { fingerprint, anonymous, pinnedFingerprint } = err.detail;
    const tls =
      fingerprint !== undefined || anonymous
        ? { fingerprint: fingerprint ?? 'anonymous', anonymous: !!anonymous, pinnedFingerprint }
        : undefined;
    return {
      code: CONNECTION_CODES[err.kind] ?? 'router-error',
      message: err.message,
      ...(tls ? { detail: tls } : {}),
    };
  }
  if (err instanceof RouterTrapError) {
    return { code: 'router-error', message: err.message, detail: { category: err.category, trap: err.trapMessage } };
  }
  if (err instanceof ValidationError)
    return { code: 'router-error', message: err.message, detail: { field: err.field } };
  return { code: 'router-error', message: err instanceof Error ? err.message : String(err) };
}

export async function testRouterConnection(target: SessionTarget) {
  const steps = await testConnection({ ...target });
  const tls = steps.find((s) => s.id === 'tls')?.tls;
  const fingerprint = tls ? (tls.anonymous ? 'anonymous' : tls.fingerprint) : null;
  return { steps: steps.map(({ id, status, detail }) => ({ id, status, detail })), fingerprint };
}
