/**
 * UPnP error codes the IGD face answers with, and the mapping from the device state's
 * refusals to them. Codes and names: UPnP Device Architecture 1.1 §3.2.2 (401, 402, 501, 606)
 * and WANIPConnection:1 §2.4.16 / WANIPConnection:2 §2.5 error tables (7xx).
 */
import type { MappingRefusal } from '../mapping-backend';

export const UPNP_ERRORS = {
  401: 'Invalid Action',
  402: 'Invalid Args',
  501: 'Action Failed',
  606: 'Action not authorized',
  713: 'SpecifiedArrayIndexInvalid',
  714: 'NoSuchEntryInArray',
  716: 'WildCardNotPermittedInExtPort',
  718: 'ConflictInMappingEntry',
  725: 'OnlyPermanentLeasesSupported',
  728: 'NoPortMapsAvailable',
  730: 'PortMappingNotFound',
  733: 'InconsistentParameters',
} as const;

export type UpnpErrorCode = keyof typeof UPNP_ERRORS;

/** A SOAP fault to send back; `detail` is for our log only, never on the wire. */
export class IgdSoapFault extends Error {
  readonly description: string;
  constructor(
    readonly code: UpnpErrorCode,
    readonly detail = '',
  ) {
    super(`UPnP error ${code} ${UPNP_ERRORS[code]}${detail ? `: ${detail}` : ''}`);
    this.name = 'IgdSoapFault';
    this.description = UPNP_ERRORS[code];
  }
}

/**
 * Refusal → UPnP code. A disabled service or a missing/down WAN cannot perform the action
 * (501, as miniupnpd answers behind CGNAT, igd-lab-facts.md); permission and ownership
 * problems are 606; an external port taken by another host is 718 (WANIPConnection:1 §2.4.16).
 */
const REFUSAL_CODES: Record<MappingRefusal, UpnpErrorCode> = {
  disabled: 501,
  'not-internal': 606,
  'no-external': 501,
  'external-down': 501,
  denied: 606,
  conflict: 718,
  'only-permanent': 725,
  'bad-port': 716,
  'not-found': 714,
  'out-of-resources': 728,
};

export function faultForRefusal(refusal: MappingRefusal, detail: string): IgdSoapFault {
  return new IgdSoapFault(REFUSAL_CODES[refusal], detail);
}
