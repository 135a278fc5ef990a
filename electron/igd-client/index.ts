// PortPilot's own IGD (UPnP IGD:1/IGD:2) and NAT-PMP client. Plain Node: no electron import.
export * from './errors';
export * from './ssdp-codec';
export { discoverGateways, suitableLocalAddresses, type DiscoveredGateway, type DiscoveryOptions } from './ssdp';
export * from './description';
export {
  buildSoapEnvelope,
  parseSoapFault,
  parseSoapResponse,
  fetchTransport,
  soapCall,
  type SoapArgs,
  type SoapReply,
  type SoapRequest,
  type SoapTransport,
  type SoapCallOptions,
} from './soap';
export * from './igd-client';
export { NATPMP_PORT, type NatPmpProtocol } from '../natpmp/codec';
export * from './natpmp';
export * from './default-gateway';
export * from './route-table';
export * from './adapters';
export { runCommand, type RunCommand, type RunOptions } from './run-command';
export { localAddressToward } from './local-address';
export { keepAliveFetch, type FetchLike, type KeepAliveFetch, type KeepAliveFetchOptions } from './keep-alive-fetch';
export * from './double-nat';
export * from './gateways';
