/**
 * WANIPConnection port-mapping actions (IGD:1 WANIPConnection:1 §2.4.16–2.4.20,
 * IGD:2 WANIPConnection:2 §2.5.16–2.5.25) translated into MappingBackend calls.
 */
import type { MappingBackend, MappingEntry, MappingRequest } from '../mapping-backend';
import { IgdSoapFault, faultForRefusal } from './errors';
import { readBoolean, readIpv4, readPort, readProtocol, readRemoteHost, readText, readUint, type Args } from './args';
import type { OutValue } from './soap';
import { element } from './xml';

export interface ActionContext {
  backend: MappingBackend;
  /** TCP peer address of the control request. */
  clientAddress: string;
}

export type OutArgs = [string, OutValue][];

/** RouterOS' placeholder at index 0 while show-dummy-rule=yes (routeros-facts.md). */
const DUMMY_DESCRIPTION = 'Dummy inactive rule for windows to work';

function entryOut(e: MappingEntry): OutArgs {
  return [
    ['NewInternalPort', e.internalPort],
    ['NewInternalClient', e.internalAddress],
    ['NewEnabled', e.enabled ? 1 : 0],
    ['NewPortMappingDescription', e.description],
    ['NewLeaseDuration', e.leaseSeconds],
  ];
}

function mappingRequest(ctx: ActionContext, args: Args, anyPort: boolean): MappingRequest {
  const externalPort = readPort(args, 'NewExternalPort');
  // IGD:1 §2.4.16 and IGD:2 §2.5.16: a wildcard external port is 716 on AddPortMapping.
  if (externalPort === 0 && !anyPort) throw new IgdSoapFault(716, 'external port 0');
  const internalPort = readPort(args, 'NewInternalPort');
  if (internalPort === 0) throw new IgdSoapFault(402, 'NewInternalPort 0');
  return {
    source: 'upnp',
    protocol: readProtocol(args),
    externalPort,
    internalAddress: readIpv4(args, 'NewInternalClient'),
    internalPort,
    description: readText(args, 'NewPortMappingDescription', 255),
    leaseSeconds: readUint(args, 'NewLeaseDuration', 0xffffffff),
    remoteHost: readRemoteHost(args),
    enabled: readBoolean(args, 'NewEnabled'),
    clientAddress: ctx.clientAddress,
    allowAlternativePort: anyPort,
  };
}

export function addPortMapping(ctx: ActionContext, args: Args): OutArgs {
  const result = ctx.backend.add(mappingRequest(ctx, args, false));
  if (!result.ok) throw faultForRefusal(result.refusal, result.detail);
  return [];
}

export function addAnyPortMapping(ctx: ActionContext, args: Args): OutArgs {
  const result = ctx.backend.add(mappingRequest(ctx, args, true));
  if (!result.ok) throw faultForRefusal(result.refusal, result.detail);
  return [['NewReservedPort', result.entry.externalPort]];
}

export function deletePortMapping(ctx: ActionContext, args: Args): OutArgs {
  readRemoteHost(args);
  const port = readPort(args, 'NewExternalPort');
  const result = ctx.backend.remove('upnp', readProtocol(args), port, ctx.clientAddress);
  if (!result.ok) throw faultForRefusal(result.refusal, result.detail);
  return [];
}

export function getGenericPortMappingEntry(ctx: ActionContext, args: Args): OutArgs {
  const index = readUint(args, 'NewPortMappingIndex', 65535);
  const dummy = ctx.backend.upnpStatus().showDummyRule;
  if (dummy && index === 0) {
    return [
      ['NewRemoteHost', ''],
      ['NewExternalPort', 0],
      ['NewProtocol', 'TCP'],
      ['NewInternalPort', 0],
      ['NewInternalClient', '0.0.0.0'],
      ['NewEnabled', 0],
      ['NewPortMappingDescription', DUMMY_DESCRIPTION],
      ['NewLeaseDuration', 0],
    ];
  }
  const entry = ctx.backend.list('upnp')[dummy ? index - 1 : index];
  if (!entry) throw new IgdSoapFault(713, `index ${index} past the end`);
  return [
    ['NewRemoteHost', entry.remoteHost],
    ['NewExternalPort', entry.externalPort],
    ['NewProtocol', entry.protocol.toUpperCase()],
    ...entryOut(entry),
  ];
}

export function getSpecificPortMappingEntry(ctx: ActionContext, args: Args): OutArgs {
  readRemoteHost(args);
  const port = readPort(args, 'NewExternalPort');
  const protocol = readProtocol(args);
  const entry = ctx.backend.get('upnp', protocol, port);
  if (!entry) throw new IgdSoapFault(714, `no ${protocol} mapping on ${port}`);
  return entryOut(entry);
}

interface RangeQuery {
  start: number;
  end: number;
  protocol: 'tcp' | 'udp';
  manage: boolean;
}

function readRange(args: Args): RangeQuery {
  const start = readPort(args, 'NewStartPort');
  const end = readPort(args, 'NewEndPort');
  // WANIPConnection:2 §2.5.22 / §2.5.25: start > end is 733 InconsistentParameters.
  if (start > end) throw new IgdSoapFault(733, `NewStartPort ${start} > NewEndPort ${end}`);
  return { start, end, protocol: readProtocol(args), manage: readBoolean(args, 'NewManage') };
}

/** NewManage=0 limits the range to the control point's own mappings (WANIPConnection:2 §2.5.22). */
function inRange(ctx: ActionContext, q: RangeQuery): MappingEntry[] {
  return ctx.backend
    .list('upnp')
    .filter((e) => e.protocol === q.protocol && e.externalPort >= q.start && e.externalPort <= q.end)
    .filter((e) => q.manage || e.internalAddress === ctx.clientAddress);
}

export function deletePortMappingRange(ctx: ActionContext, args: Args): OutArgs {
  const entries = inRange(ctx, readRange(args));
  if (entries.length === 0) throw new IgdSoapFault(730, 'no mapping in range');
  for (const e of entries) {
    const result = ctx.backend.remove('upnp', e.protocol, e.externalPort, ctx.clientAddress);
    if (!result.ok) throw faultForRefusal(result.refusal, result.detail);
  }
  return [];
}

/** The PortMappingList document of WANIPConnection:2 §2.5.25 (no XML declaration, as miniupnpd sends it). */
export function buildPortListing(entries: MappingEntry[]): string {
  const rows = entries
    .map(
      (e) =>
        '<p:PortMappingEntry>' +
        element('p:NewRemoteHost', e.remoteHost) +
        element('p:NewExternalPort', e.externalPort) +
        element('p:NewProtocol', e.protocol.toUpperCase()) +
        element('p:NewInternalPort', e.internalPort) +
        element('p:NewInternalClient', e.internalAddress) +
        element('p:NewEnabled', e.enabled ? 1 : 0) +
        element('p:NewDescription', e.description) +
        element('p:NewLeaseTime', e.leaseSeconds) +
        '</p:PortMappingEntry>',
    )
    .join('');
  return (
    '<p:PortMappingList xmlns:p="urn:schemas-upnp-org:gw:WANIPConnection" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="urn:schemas-upnp-org:gw:WANIPConnection http://www.upnp.org/schemas/gw/WANIPConnection-v2.xsd">' +
    rows +
    '</p:PortMappingList>'
  );
}

export function getListOfPortMappings(ctx: ActionContext, args: Args): OutArgs {
  const entries = inRange(ctx, readRange(args));
  const limit = readUint(args, 'NewNumberOfPorts', 65535);
  if (entries.length === 0) throw new IgdSoapFault(730, 'no mapping in range');
  // Sent as CDATA like miniupnpd: miniupnpc's XML reader does not decode entities, so an
  // entity-escaped listing (equally valid XML) would reach `upnpc -L` as unparsable text.
  return [['NewPortListing', { cdata: buildPortListing(limit === 0 ? entries : entries.slice(0, limit)) }]];
}
