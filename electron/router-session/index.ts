/** PortPilot's router link: the only door to node-routeros. */
export { RouterSession, type SessionDeps, type Timers, type PrintOptions } from './session';
export type { RouterTarget, Capabilities, SessionState, Transport } from './target';
export {
  RouterTrapError,
  RouterConnectionError,
  ValidationError,
  type ConnectionErrorKind,
  type ConnectionErrorDetail,
} from './errors';
export { probeTlsFingerprint, normalizeFingerprint, ANONYMOUS_PIN, type TlsPeer } from './tls';
export { testConnection, type TestStep, type TestStepId } from './test-connection';
export { q, type Query } from './query';
export type { ListenEvent, ListenHandle, ListenOptions } from './listens';
export type { Link, LinkOpener, LinkOptions, Row } from './transport';
export { DEFAULT_WIRE_LIMITS, DEFAULT_COMMAND_TIMEOUT_MS, type WireLimits } from './link';
export { backoffDelay, type BackoffOptions } from './backoff';
export * from './models';
