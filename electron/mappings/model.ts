/**
 * Pure parsing of what RouterOS shows about a mapping: the dynamic dstnat rule UPnP / NAT-PMP adds
 * (routeros-facts.md: `comment="upnp 192.168.88.10: ApplicationX"`, `comment="nat-pmp …"`), the seed
 * guide's /ip/upnp/mappings rows, and the subnets RouterOS reports.
 */
import type { RawRow } from '../core/router-port';
import type { MappingFields, MappingSource } from '../../shared/domains/mappings';
import { cidrRange, inRange, parseCidr, type Ipv4Cidr } from '../net/ipv4';

/** One row read from the router: the contract's MappingFields plus what only the monitor needs. */
export interface MappingFacts extends MappingFields {
  /** The dynamic /ip/firewall/nat rule id (null for a seed-guide /ip/upnp/mappings row). */
  ruleId: string | null;
  /** Rule counters as last seen (bytes + packets). */
  counters: string;
  /** The WAN interface the rule matches (for "make permanent"). */
  inInterface: string;
}

export const mappingId = (protocol: string, externalPort: number | string): string => `${protocol}/${externalPort}`;

const COMMENT = /^(upnp|nat-pmp)\s+(\d{1,3}(?:\.\d{1,3}){3}):\s?(.*)$/s;

/** `upnp 192.168.88.10: ApplicationX` → source, requester, description. */
export function parseComment(comment: string | undefined): { source: MappingSource; description: string } {
  const m = COMMENT.exec(comment ?? '');
  if (!m) return { source: 'unknown', description: comment ?? '' };
  // The literal, not the match: a 10,000-rule snapshot would otherwise keep 10,000 copies of "upnp".
  return { source: m[1] === 'upnp' ? 'upnp' : 'nat-pmp', description: m[3] ?? '' };
}

/** The text before the first `,` or `-` (same as `split(/[,-]/)[0]`, without the array per row). */
const beforeListOrRange = (spec: string): string => {
  for (let i = 0; i < spec.length; i++) {
    const c = spec.charCodeAt(i);
    if (c === 44 || c === 45) return spec.slice(0, i);
  }
  return spec;
};

const firstPort = (spec: string | undefined): number => {
  const n = Number(beforeListOrRange(spec ?? ''));
  return Number.isInteger(n) ? n : NaN;
};

/**
 * A dynamic dstnat rule made by UPnP or NAT-PMP, or null for anything else. Static rules never become
 * mappings: that is the first safety line of cleanup (it only ever removes what the monitor lists).
 */
export function factsFromRule(row: RawRow): MappingFacts | null {
  if (row['dynamic'] !== 'true' || row['chain'] !== 'dstnat' || row['action'] !== 'dst-nat') return null;
  const wire = row['protocol'];
  if (wire !== 'tcp' && wire !== 'udp') return null;
  // The literal, not the decoded word: one string for every rule instead of one per rule (issue 14).
  const protocol = wire === 'tcp' ? 'tcp' : 'udp';
  const externalPort = firstPort(row['dst-port']);
  const toAddresses = row['to-addresses'] ?? '';
  const dash = toAddresses.indexOf('-');
  const internalAddress = dash === -1 ? toAddresses : toAddresses.slice(0, dash);
  if (!Number.isInteger(externalPort) || !internalAddress) return null;
  const toPort = firstPort(row['to-ports']);
  const { source, description } = parseComment(row['comment']);
  return {
    id: mappingId(protocol, externalPort),
    protocol,
    externalPort,
    internalAddress,
    internalPort: Number.isInteger(toPort) ? toPort : externalPort,
    description,
    source,
    ruleId: row['.id'] ?? null,
    upnpMappingId: null,
    enabled: row['disabled'] !== 'true',
    counters: `${row['bytes'] ?? '0'}/${row['packets'] ?? '0'}`,
    inInterface: row['in-interface'] ?? '',
  };
}

/** A row of the seed guide's `/ip upnp mappings print`. */
export function factsFromUpnpMapping(row: RawRow): MappingFacts | null {
  const wire = row['protocol'];
  const protocol = wire === 'tcp' ? 'tcp' : wire === 'udp' ? 'udp' : null;
  const externalPort = firstPort(row['dst-port']);
  const internalAddress = row['internal-address'] ?? '';
  if (protocol === null || !Number.isInteger(externalPort) || !internalAddress) return null;
  const internalPort = firstPort(row['internal-port']);
  return {
    id: mappingId(protocol, externalPort),
    protocol,
    externalPort,
    internalAddress,
    internalPort: Number.isInteger(internalPort) ? internalPort : externalPort,
    description: row['description'] ?? '',
    source: 'upnp',
    ruleId: null,
    upnpMappingId: row['.id'] ?? null,
    enabled: row['enabled'] !== 'false',
    counters: '',
    inInterface: '',
  };
}

/** A subnet the router is connected to, from an /ip/address row. */
export interface Subnet extends Ipv4Cidr {
  cidr: string;
  interface: string;
}

/** `192.168.88.1/24` on bridge-lan → the connected subnet. */
export function subnetOf(address: string, iface: string): Subnet | null {
  const cidr = parseCidr(address);
  return cidr && { ...cidr, cidr: address, interface: iface };
}

/** Called per mapping row per subnet by the monitor: `inRange` parses through the memoised `ipv4ToInt`. */
export const inSubnet = (address: string, s: Subnet): boolean => inRange(address, cidrRange(s));

/** `192.168.88.10:55000` → ['192.168.88.10', 55000]. */
export function splitHostPort(value: string | undefined): [string, number] | null {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(value ?? '');
  return m ? [m[1] ?? '', Number(m[2])] : null;
}
