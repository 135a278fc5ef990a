// PortPilot's STUN client (RFC 5389) and NAT behaviour discovery (RFC 5780). Plain Node: no electron
// import; every port injected (README.md).
export * from './errors';
export {
  decodeMessage,
  encodeMessage,
  mappedAddressOf,
  otherAddressOf,
  type StunMessage,
  type TransportAddress,
} from './codec';
export {
  DEFAULT_TIMINGS,
  RFC5389_TIMINGS,
  StunChannel,
  giveUpAfterMs,
  type BindingAnswer,
  type Timings,
} from './channel';
export { discoverNat, type DiscoveryOptions } from './discovery';
export type { StunNet, StunPorts, StunSocket, StunTimers, UdpEndpoint } from './ports';
export { realStunNet, realStunPorts } from './real-net';
export { DEFAULT_STUN_SERVER, STUN_PORT, parseStunServer, showServer, type StunServerAddress } from './server-address';
