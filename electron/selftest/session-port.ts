// The CLI's RouterPort for the self-test's verify-on-router steps: the shared session adapter.
export { connectRouterPort } from '../core/session-router-port';
