/**
 * Routes a parsed SOAP request to its action. Pure apart from the injected backend: the HTTP
 * server hands in the control URL's service, the request and the TCP peer address.
 */
import { IgdSoapFault } from './errors';
import {
  addAnyPortMapping,
  addPortMapping,
  deletePortMapping,
  deletePortMappingRange,
  getGenericPortMappingEntry,
  getListOfPortMappings,
  getSpecificPortMappingEntry,
  type ActionContext,
  type OutArgs,
} from './mapping-actions';
import { actionsFor, serviceType, type IgdVersion, type ServiceSpec } from './services';
import type { SoapRequest } from './soap';
import { faultForRefusal } from './errors';
import type { Args } from './args';

type Handler = (ctx: ActionContext, args: Args) => OutArgs;

function connected(ctx: ActionContext): boolean {
  const s = ctx.backend.upnpStatus();
  return s.externalUp && s.externalAddress !== null;
}

/**
 * ForceTermination is allowed only with allow-disable-external-interface=yes (RouterOS
 * /ip upnp docs: "Allow UPnP clients to disable the external interface"). Otherwise 606, the
 * UDA 1.0 §3.2.2 code for a caller that may not invoke the action; RouterOS' exact code is not
 * documented, so the demo follows the spec.
 */
const forceTermination: Handler = (ctx) => {
  if (!ctx.backend.upnpStatus().allowDisableExternal) {
    throw new IgdSoapFault(606, 'allow-disable-external-interface=no');
  }
  const result = ctx.backend.forceTermination();
  if (!result.ok) throw faultForRefusal(result.refusal, result.detail);
  return [];
};

const WAN_IP: Record<string, Handler> = {
  GetConnectionTypeInfo: () => [
    ['NewConnectionType', 'IP_Routed'],
    ['NewPossibleConnectionTypes', 'IP_Routed'],
  ],
  GetStatusInfo: (ctx) => [
    ['NewConnectionStatus', connected(ctx) ? 'Connected' : 'Disconnected'],
    ['NewLastConnectionError', 'ERROR_NONE'],
    ['NewUptime', ctx.backend.upnpStatus().uptimeSeconds],
  ],
  GetNATRSIPStatus: () => [
    ['NewRSIPAvailable', 0],
    ['NewNATEnabled', 1],
  ],
  // No external address (double NAT without forced-ip, WAN without DHCP lease): an empty
  // string, as miniupnpd answers (igd-lab-facts.md), so clients can tell "no address" apart.
  GetExternalIPAddress: (ctx) => [['NewExternalIPAddress', ctx.backend.upnpStatus().externalAddress ?? '']],
  AddPortMapping: addPortMapping,
  DeletePortMapping: deletePortMapping,
  GetGenericPortMappingEntry: getGenericPortMappingEntry,
  GetSpecificPortMappingEntry: getSpecificPortMappingEntry,
  ForceTermination: forceTermination,
  AddAnyPortMapping: addAnyPortMapping,
  DeletePortMappingRange: deletePortMappingRange,
  GetListOfPortMappings: getListOfPortMappings,
};

// The demo keeps no per-interface byte counters: totals are 0, which WANCommonInterfaceConfig:1
// §2.2 allows for a device that does not count.
const COMMON_IFC: Record<string, Handler> = {
  GetCommonLinkProperties: (ctx) => [
    ['NewWANAccessType', 'Ethernet'],
    ['NewLayer1UpstreamMaxBitRate', 1_000_000_000],
    ['NewLayer1DownstreamMaxBitRate', 1_000_000_000],
    ['NewPhysicalLinkStatus', ctx.backend.upnpStatus().externalUp ? 'Up' : 'Down'],
  ],
  GetTotalBytesSent: () => [['NewTotalBytesSent', 0]],
  GetTotalBytesReceived: () => [['NewTotalBytesReceived', 0]],
  GetTotalPacketsSent: () => [['NewTotalPacketsSent', 0]],
  GetTotalPacketsReceived: () => [['NewTotalPacketsReceived', 0]],
};

export interface DispatchResult {
  /** Namespace for the response element: the requested service type (UDA 1.0 §3.2.1). */
  serviceType: string;
  out: OutArgs;
}

/** A request for WANIPConnection:1 on an IGD:2 device is served (UDA 1.1 §2.1 backward compatibility). */
function checkServiceType(requested: string, service: ServiceSpec, version: IgdVersion): string {
  const served = serviceType(service.key, version);
  if (requested === '') return served;
  const match = /^urn:schemas-upnp-org:service:([A-Za-z]+):(\d+)$/.exec(requested);
  if (!match || match[1] !== service.key || Number(match[2]) < 1 || Number(match[2]) > Number(served.slice(-1))) {
    throw new IgdSoapFault(401, `service ${requested} is not served at this control URL`);
  }
  return requested;
}

export function dispatch(
  ctx: ActionContext,
  service: ServiceSpec,
  version: IgdVersion,
  request: SoapRequest,
): DispatchResult {
  const requestedType = checkServiceType(request.serviceType, service, version);
  const effectiveVersion = requestedType.endsWith(':1') ? 1 : version;
  const spec = actionsFor(service, effectiveVersion).find((a) => a.name === request.action);
  const handler = (service.key === 'WANIPConnection' ? WAN_IP : COMMON_IFC)[request.action];
  if (!spec || !handler) throw new IgdSoapFault(401, `${request.action} is not an action of ${requestedType}`);
  for (const [name] of spec.in) {
    if (request.args[name] === undefined) throw new IgdSoapFault(402, `${request.action}: missing ${name}`);
  }
  return { serviceType: requestedType, out: handler(ctx, request.args) };
}
