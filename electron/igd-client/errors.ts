// Typed errors of the IGD / NAT-PMP client. Code branches on `.code`; `.message` is for people:
// what failed, why, and what to do (STYLE.md pattern 6).

/** UPnP error codes with what they mean for a home user (UPnP IGD:2 WANIPConnection:2 §2.4,
 *  UPnP Device Architecture 1.1 §3.2.2 for 401/402/501/606). */
export const SOAP_FAULT_EXPLANATIONS: Readonly<Record<number, string>> = {
  401: 'the router does not know this action (Invalid Action): it may speak only an older IGD version',
  402: 'the router rejected the arguments (Invalid Args): check the ports, protocol and internal address',
  501: 'the router could not carry out the action (Action Failed); miniupnpd says this when its WAN address is private or CGNAT (100.64/10), i.e. double NAT: port forwarding cannot work from here',
  // Router-neutral on purpose: which setting refused it depends on the router (RouterOS 7 has no UPnP
  // permissions menu; miniupnpd has allow/deny lines), so menu names come from whoever knows the router.
  606: 'the router refused it (Action not authorized): it does not allow this port or internal address for this device, or does not let one device change another device’s mapping',
  713: 'no mapping at that index (SpecifiedArrayIndexInvalid): the end of the list',
  714: 'no such mapping on the router (NoSuchEntryInArray)',
  715: 'the router does not accept a wildcard remote host (WildCardNotPermittedInSrcIP): leave the remote host empty or give a specific one',
  716: 'the router does not accept a wildcard external port (WildCardNotPermittedInExtPort): give a non-zero external port',
  718: 'another device already uses this external port (ConflictInMappingEntry): pick another external port, or remove the other mapping',
  724: 'the router needs the external and internal ports to be equal (SamePortValuesRequired): retry with the same port on both sides',
  725: 'this router only accepts permanent mappings (OnlyPermanentLeasesSupported): retry with lease 0',
  726: 'the router needs a wildcard remote host (RemoteHostOnlySupportsWildcard): leave the remote host empty',
  727: 'the router needs a wildcard external port (ExternalPortOnlySupportsWildcard): use AddAnyPortMapping or port 0',
  728: 'the router has no free port left (NoPortMapsAvailable): delete unused mappings first',
  729: 'the router refused the mapping because it conflicts with one of its own services (ConflictWithOtherMechanisms): pick another port',
};

/** A SOAP fault from the gateway's control URL, carrying the UPnPError code. */
export class IgdSoapFault extends Error {
  override readonly name = 'IgdSoapFault';
  readonly explanation: string;
  constructor(
    readonly code: number,
    readonly description: string,
    readonly action: string,
  ) {
    const explanation = SOAP_FAULT_EXPLANATIONS[code] ?? 'the router reported an error this client does not know';
    super(`${action} failed with UPnP error ${code} ${description}: ${explanation}`);
    this.explanation = explanation;
  }
}

/** The gateway answered HTTP without a parsable SOAP fault (e.g. 404 on a wrong control URL). */
export class IgdHttpError extends Error {
  override readonly name = 'IgdHttpError';
  constructor(
    readonly status: number,
    readonly url: string,
    detail: string,
  ) {
    super(`HTTP ${status} from ${url}: ${detail}`);
  }
}

export type IgdErrorCode =
  | 'timeout'
  | 'too-large'
  | 'bad-xml'
  | 'no-wan-service'
  | 'unsupported'
  | 'bad-response'
  | 'network'
  /** The device answered with an HTTP redirect: never followed. */
  | 'redirect'
  /** The description points its control URL at another host than the one that served it. */
  | 'foreign-host';

/** Any other failure of the IGD client, with a closed code. */
export class IgdError extends Error {
  override readonly name = 'IgdError';
  constructor(
    readonly code: IgdErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 6886 §3.5 result codes. */
export const NATPMP_RESULT_EXPLANATIONS: Readonly<Record<number, string>> = {
  1: 'the gateway does not support this NAT-PMP version (Unsupported Version)',
  2: 'the gateway refused it (Not Authorized/Refused): NAT-PMP is disabled for this client, or the router does not allow this port',
  3: 'the gateway has no usable external address (Network Failure): it is not connected, or its WAN address is private/CGNAT (double NAT)',
  4: 'the gateway is out of resources (cannot create more mappings): delete unused mappings first',
  5: 'the gateway does not support this request (Unsupported opcode)',
};

export class NatPmpResultError extends Error {
  override readonly name = 'NatPmpResultError';
  readonly explanation: string;
  constructor(readonly code: number) {
    const explanation = NATPMP_RESULT_EXPLANATIONS[code] ?? 'the gateway returned an unknown result code';
    super(`NAT-PMP result ${code}: ${explanation}`);
    this.explanation = explanation;
  }
}

export type NatPmpErrorCode =
  | 'timeout'
  | 'bad-argument'
  /** The gateway's answer does not fit the request (natpmp-checks.ts). */
  | 'bad-response';

export class NatPmpError extends Error {
  override readonly name = 'NatPmpError';
  constructor(
    readonly code: NatPmpErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type HostNetworkErrorCode =
  'unsupported-platform' | 'no-gateway' | 'command-failed' | 'timeout' | 'too-large' | 'unknown-adapter';

/** Reading this PC's own network setup (its route table, its adapters) failed (issue 15). */
export class HostNetworkError extends Error {
  override readonly name = 'HostNetworkError';
  constructor(
    readonly code: HostNetworkErrorCode,
    message: string,
  ) {
    super(message);
  }
}
