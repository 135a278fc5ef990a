/**
 * What the cleanup needs from UPnP IGD, sent from this computer (UPnP IGD WANIPConnection:1 §2.4.16
 * AddPortMapping, §2.4.17 DeletePortMapping). The service implements it with PortPilot's own IGD
 * client (services/mappings/igd-actions.ts); tests implement it on the demo device.
 */

export interface IgdMapping {
  protocol: 'tcp' | 'udp';
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  description: string;
  enabled: boolean;
  /** 0 = permanent, the only kind RouterOS 7 accepts (SOAP 725 otherwise, routeros-facts.md). */
  leaseSeconds: number;
}

export interface IgdActions {
  /** Whether the router's IGD description is known (without it nothing here can be tried). */
  available(): boolean;
  /** This computer's address as the router sees it: its own mappings are always its own to change. */
  localAddress(): Promise<string | null>;
  deleteMapping(protocol: 'tcp' | 'udp', externalPort: number): Promise<void>;
  addMapping(mapping: IgdMapping): Promise<void>;
}

/** The UPnP error code of a SOAP fault (IgdSoapFault.code), or null for anything else (timeout, network). */
export function faultCode(err: unknown): number | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

/**
 * 606 Action not authorized: the router refuses this request from this computer (UPnP Device
 * Architecture 1.1 §3.2.2). For another device's mapping that is the answer to "may PortPilot act on
 * its behalf"; a refused request changes nothing.
 */
export const NOT_AUTHORIZED = 606;
/** 718 ConflictInMappingEntry: miniupnpd's secure mode answers a mapping for another host with it. */
export const CONFLICT = 718;
/** 714 NoSuchEntryInArray: the mapping is not there (already gone). */
export const NO_SUCH_ENTRY = 714;
