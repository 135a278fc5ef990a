/**
 * The services the demo router's IGD exposes: types, URLs, actions and their arguments.
 * One table drives the root description, the SCPD documents and the dispatcher's argument
 * checks, so an action is never listed in one place and missing in another.
 * Action/argument names: WANIPConnection:1 §2.4 and :2 §2.5, WANCommonInterfaceConfig:1 §2.2.
 */

export type IgdVersion = 1 | 2;
export type ServiceKey = 'WANIPConnection' | 'WANCommonInterfaceConfig';

export interface ActionSpec {
  name: string;
  /** [argument name, related state variable] */
  in: [string, string][];
  out: [string, string][];
  /** Only served by WANIPConnection:2 (IGD:2). */
  v2Only?: boolean;
}

export interface StateVariableSpec {
  name: string;
  dataType: 'string' | 'ui1' | 'ui2' | 'ui4' | 'boolean';
  allowed?: string[];
  v2Only?: boolean;
}

export interface ServiceSpec {
  key: ServiceKey;
  serviceId: string;
  scpdPath: string;
  controlPath: string;
  eventPath: string;
  actions: ActionSpec[];
  stateVariables: StateVariableSpec[];
}

const MAPPING_KEY: [string, string][] = [
  ['NewRemoteHost', 'RemoteHost'],
  ['NewExternalPort', 'ExternalPort'],
  ['NewProtocol', 'PortMappingProtocol'],
];
const MAPPING_VALUE: [string, string][] = [
  ['NewInternalPort', 'InternalPort'],
  ['NewInternalClient', 'InternalClient'],
  ['NewEnabled', 'PortMappingEnabled'],
  ['NewPortMappingDescription', 'PortMappingDescription'],
  ['NewLeaseDuration', 'PortMappingLeaseDuration'],
];
const RANGE: [string, string][] = [
  ['NewStartPort', 'ExternalPort'],
  ['NewEndPort', 'ExternalPort'],
  ['NewProtocol', 'PortMappingProtocol'],
  ['NewManage', 'A_ARG_TYPE_Manage'],
];

const WAN_IP_ACTIONS: ActionSpec[] = [
  {
    name: 'GetConnectionTypeInfo',
    in: [],
    out: [
      ['NewConnectionType', 'ConnectionType'],
      ['NewPossibleConnectionTypes', 'PossibleConnectionTypes'],
    ],
  },
  {
    name: 'GetStatusInfo',
    in: [],
    out: [
      ['NewConnectionStatus', 'ConnectionStatus'],
      ['NewLastConnectionError', 'LastConnectionError'],
      ['NewUptime', 'Uptime'],
    ],
  },
  {
    name: 'GetNATRSIPStatus',
    in: [],
    out: [
      ['NewRSIPAvailable', 'RSIPAvailable'],
      ['NewNATEnabled', 'NATEnabled'],
    ],
  },
  { name: 'GetExternalIPAddress', in: [], out: [['NewExternalIPAddress', 'ExternalIPAddress']] },
  { name: 'AddPortMapping', in: [...MAPPING_KEY, ...MAPPING_VALUE], out: [] },
  { name: 'DeletePortMapping', in: MAPPING_KEY, out: [] },
  {
    name: 'GetGenericPortMappingEntry',
    in: [['NewPortMappingIndex', 'PortMappingNumberOfEntries']],
    out: [...MAPPING_KEY, ...MAPPING_VALUE],
  },
  { name: 'GetSpecificPortMappingEntry', in: MAPPING_KEY, out: MAPPING_VALUE },
  { name: 'ForceTermination', in: [], out: [] },
  {
    name: 'AddAnyPortMapping',
    in: [...MAPPING_KEY, ...MAPPING_VALUE],
    out: [['NewReservedPort', 'ExternalPort']],
    v2Only: true,
  },
  { name: 'DeletePortMappingRange', in: RANGE, out: [], v2Only: true },
  {
    name: 'GetListOfPortMappings',
    in: [...RANGE, ['NewNumberOfPorts', 'PortMappingNumberOfEntries']],
    out: [['NewPortListing', 'A_ARG_TYPE_PortListing']],
    v2Only: true,
  },
];

const WAN_IP_VARIABLES: StateVariableSpec[] = [
  { name: 'ConnectionType', dataType: 'string' },
  { name: 'PossibleConnectionTypes', dataType: 'string', allowed: ['Unconfigured', 'IP_Routed', 'IP_Bridged'] },
  {
    name: 'ConnectionStatus',
    dataType: 'string',
    allowed: ['Unconfigured', 'Connecting', 'Connected', 'PendingDisconnect', 'Disconnecting', 'Disconnected'],
  },
  { name: 'Uptime', dataType: 'ui4' },
  { name: 'LastConnectionError', dataType: 'string', allowed: ['ERROR_NONE'] },
  { name: 'RSIPAvailable', dataType: 'boolean' },
  { name: 'NATEnabled', dataType: 'boolean' },
  { name: 'ExternalIPAddress', dataType: 'string' },
  { name: 'PortMappingNumberOfEntries', dataType: 'ui2' },
  { name: 'PortMappingEnabled', dataType: 'boolean' },
  { name: 'PortMappingLeaseDuration', dataType: 'ui4' },
  { name: 'RemoteHost', dataType: 'string' },
  { name: 'ExternalPort', dataType: 'ui2' },
  { name: 'InternalPort', dataType: 'ui2' },
  { name: 'PortMappingProtocol', dataType: 'string', allowed: ['TCP', 'UDP'] },
  { name: 'InternalClient', dataType: 'string' },
  { name: 'PortMappingDescription', dataType: 'string' },
  { name: 'A_ARG_TYPE_Manage', dataType: 'boolean', v2Only: true },
  { name: 'A_ARG_TYPE_PortListing', dataType: 'string', v2Only: true },
];

const COMMON_IFC_ACTIONS: ActionSpec[] = [
  {
    name: 'GetCommonLinkProperties',
    in: [],
    out: [
      ['NewWANAccessType', 'WANAccessType'],
      ['NewLayer1UpstreamMaxBitRate', 'Layer1UpstreamMaxBitRate'],
      ['NewLayer1DownstreamMaxBitRate', 'Layer1DownstreamMaxBitRate'],
      ['NewPhysicalLinkStatus', 'PhysicalLinkStatus'],
    ],
  },
  { name: 'GetTotalBytesSent', in: [], out: [['NewTotalBytesSent', 'TotalBytesSent']] },
  { name: 'GetTotalBytesReceived', in: [], out: [['NewTotalBytesReceived', 'TotalBytesReceived']] },
  { name: 'GetTotalPacketsSent', in: [], out: [['NewTotalPacketsSent', 'TotalPacketsSent']] },
  { name: 'GetTotalPacketsReceived', in: [], out: [['NewTotalPacketsReceived', 'TotalPacketsReceived']] },
];

const COMMON_IFC_VARIABLES: StateVariableSpec[] = [
  { name: 'WANAccessType', dataType: 'string', allowed: ['DSL', 'POTS', 'Cable', 'Ethernet'] },
  { name: 'Layer1UpstreamMaxBitRate', dataType: 'ui4' },
  { name: 'Layer1DownstreamMaxBitRate', dataType: 'ui4' },
  { name: 'PhysicalLinkStatus', dataType: 'string', allowed: ['Up', 'Down'] },
  { name: 'TotalBytesSent', dataType: 'ui4' },
  { name: 'TotalBytesReceived', dataType: 'ui4' },
  { name: 'TotalPacketsSent', dataType: 'ui4' },
  { name: 'TotalPacketsReceived', dataType: 'ui4' },
];

export const SERVICES: Record<ServiceKey, ServiceSpec> = {
  WANIPConnection: {
    key: 'WANIPConnection',
    serviceId: 'urn:upnp-org:serviceId:WANIPConn1',
    scpdPath: '/scpd/WANIPConnection.xml',
    controlPath: '/upnp/control/WANIPConnection',
    eventPath: '/upnp/event/WANIPConnection',
    actions: WAN_IP_ACTIONS,
    stateVariables: WAN_IP_VARIABLES,
  },
  WANCommonInterfaceConfig: {
    key: 'WANCommonInterfaceConfig',
    serviceId: 'urn:upnp-org:serviceId:WANCommonIFC1',
    scpdPath: '/scpd/WANCommonInterfaceConfig.xml',
    controlPath: '/upnp/control/WANCommonInterfaceConfig',
    eventPath: '/upnp/event/WANCommonInterfaceConfig',
    actions: COMMON_IFC_ACTIONS,
    stateVariables: COMMON_IFC_VARIABLES,
  },
};

/** WANCommonInterfaceConfig stays :1 in IGD:2 (IGD:2 spec §2.1 device tree). */
export function serviceType(key: ServiceKey, version: IgdVersion): string {
  const v = key === 'WANIPConnection' ? version : 1;
  return `urn:schemas-upnp-org:service:${key}:${v}`;
}

export function deviceType(
  name: 'InternetGatewayDevice' | 'WANDevice' | 'WANConnectionDevice',
  version: IgdVersion,
): string {
  return `urn:schemas-upnp-org:device:${name}:${version}`;
}

export function actionsFor(service: ServiceSpec, version: IgdVersion): ActionSpec[] {
  return service.actions.filter((a) => version === 2 || !a.v2Only);
}

export function findService(path: string): ServiceSpec | undefined {
  return Object.values(SERVICES).find((s) => s.controlPath === path);
}
