/**
 * The seam between the demo router's device state and its two mapping-protocol faces
 * (UPnP IGD over SSDP + SOAP, NAT-PMP over UDP). The device state implements it; the faces
 * only translate wire requests into these calls and refusals into wire error codes
 * (UPnP IGD:1 WANIPConnection §2.4.16 / IGD:2 error tables; RFC 6886 §3.5 result codes).
 */

export type MappingProtocol = 'tcp' | 'udp';
export type MappingSource = 'upnp' | 'nat-pmp';

export interface MappingRequest {
  source: MappingSource;
  protocol: MappingProtocol;
  /** Requested external port; 0 only where the protocol allows "any" (NAT-PMP, AddAnyPortMapping). */
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  description: string;
  /** Seconds; 0 = permanent. RouterOS 7 accepts 0 only (SOAP 725). */
  leaseSeconds: number;
  /** UPnP NewRemoteHost; '' = any. */
  remoteHost: string;
  enabled: boolean;
  /** Address the request came from (the TCP/UDP peer), used for the internal-interface check. */
  clientAddress: string;
  /** AddAnyPortMapping / NAT-PMP: when the port is taken, pick a free one instead of refusing. */
  allowAlternativePort: boolean;
}

export interface MappingEntry {
  source: MappingSource;
  protocol: MappingProtocol;
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  description: string;
  /** Seconds left; 0 = permanent. */
  leaseSeconds: number;
  remoteHost: string;
  enabled: boolean;
}

/**
 * Why a request was refused. The faces map these to wire codes:
 * disabled → UPnP 501 (service unavailable) / NAT-PMP 2; not-internal → 606 / 2;
 * no-external / external-down → 501 / 3; denied → 606 / 2; conflict → 718 / (NAT-PMP picks another port);
 * only-permanent → 725; remote-host-wildcard-only → 715? (not used); bad-port → 716 / 2;
 * not-found → 714; out-of-resources → 728 / 4.
 */
export type MappingRefusal =
  | 'disabled'
  | 'not-internal'
  | 'no-external'
  | 'external-down'
  | 'denied'
  | 'conflict'
  | 'only-permanent'
  | 'bad-port'
  | 'not-found'
  | 'out-of-resources';

export type MappingResult = { ok: true; entry: MappingEntry } | { ok: false; refusal: MappingRefusal; detail: string };

export interface GatewayStatus {
  /** Service enabled and both an internal and an external interface configured. */
  enabled: boolean;
  externalUp: boolean;
  /** The external interface's IPv4 address (or forced-ip), null when none. */
  externalAddress: string | null;
  /** Seconds since the service (re)started: IGD GetStatusInfo uptime, NAT-PMP epoch (RFC 6886 §3.6). */
  uptimeSeconds: number;
}

export interface MappingBackend {
  readonly profile: 'routeros7' | 'seed';
  /** Which IGD description the router serves: 1 = IGD:1 + WANIPConnection:1 (RouterOS default), 2 = IGD:2. */
  igdVersion(): 1 | 2;
  upnpStatus(): GatewayStatus & { showDummyRule: boolean; allowDisableExternal: boolean };
  natPmpStatus(): GatewayStatus;
  add(request: MappingRequest): MappingResult;
  /** Delete by key. clientAddress lets the backend refuse deleting another host's mapping (606). */
  remove(
    source: MappingSource,
    protocol: MappingProtocol,
    externalPort: number,
    clientAddress: string,
  ): { ok: true } | { ok: false; refusal: MappingRefusal; detail: string };
  get(source: MappingSource, protocol: MappingProtocol, externalPort: number): MappingEntry | undefined;
  /** Mappings of one source in a stable order (index order for GetGenericPortMappingEntry). */
  list(source: MappingSource): MappingEntry[];
  /** IGD ForceTermination: only when allow-disable-external-interface=yes; disables the external interface. */
  forceTermination(): { ok: true } | { ok: false; refusal: MappingRefusal; detail: string };
  /** Fires when the service restarts (config change, reboot) so NAT-PMP can reset its epoch. */
  onRestart(listener: () => void): () => void;
}
