/** How the router service reports RouterSession's errors, and its connection test, in contract terms. */
import { ANONYMOUS_FINGERPRINT } from '../../../shared/domains/router';
import {
  RouterConnectionError,
  RouterTrapError,
  testConnection,
  ValidationError,
  type RouterTarget,
} from '../../router-session';

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
        ? { fingerprint: fingerprint ?? ANONYMOUS_FINGERPRINT, anonymous: !!anonymous, pinnedFingerprint }
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

export async function testRouterConnection(target: RouterTarget) {
  const steps = await testConnection({ ...target });
  const tls = steps.find((s) => s.id === 'tls')?.tls;
  const fingerprint = tls ? (tls.anonymous ? ANONYMOUS_FINGERPRINT : tls.fingerprint) : null;
  return { steps: steps.map(({ id, status, detail }) => ({ id, status, detail })), fingerprint };
}
