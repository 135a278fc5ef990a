/**
 * The wire form of mapping views (issue 14). As objects, 10,000 views are 5.4 MB of JSON: each repeats
 * seventeen key names and its owner, though a large router's mappings belong to ~100 hosts. On the wire a
 * view is a row of values in VIEW_KEYS order and its owner an index into the message's owner table; the
 * contract's client turns them back into the same MappingView objects (one owner object per host, as
 * main builds them). Main is trusted, yet a row of the wrong shape throws rather than becoming a view
 * with holes.
 */
import type { WireCodec } from '../contract/define';
import type { MappingOwner, MappingsDelta, MappingsSnapshot, MappingView } from './mappings-view';

/** Every key of MappingView, in row order; the compile-time check below fails when one is missing. */
const VIEW_KEYS = [
  'id',
  'protocol',
  'externalPort',
  'internalAddress',
  'internalPort',
  'description',
  'source',
  'ruleIds',
  'upnpMappingId',
  'enabled',
  'owner',
  'firstSeenAt',
  'knownSinceAt',
  'ageBasis',
  'lastTrafficAt',
  'status',
  'staleReasons',
] as const satisfies readonly (keyof MappingView)[];

type Missing = Exclude<keyof MappingView, (typeof VIEW_KEYS)[number]>;
/** `true` only while VIEW_KEYS lists every key of MappingView. */
export const VIEW_KEYS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

type Row = unknown[];

/** Views with their owners in one table (shared by every list of one message). */
class Packer {
  readonly owners: MappingOwner[] = [];
  private readonly index = new Map<MappingOwner, number>();

  rows(views: readonly MappingView[]): Row[] {
    const out = new Array<Row>(views.length);
    for (let i = 0; i < views.length; i++) out[i] = this.row(views[i]!);
    return out;
  }

  private row(v: MappingView): Row {
    let owner = this.index.get(v.owner);
    if (owner === undefined) {
      owner = this.owners.push(v.owner) - 1;
      this.index.set(v.owner, owner);
    }
    return [
      v.id,
      v.protocol,
      v.externalPort,
      v.internalAddress,
      v.internalPort,
      v.description,
      v.source,
      v.ruleIds,
      v.upnpMappingId,
      v.enabled,
      owner,
      v.firstSeenAt,
      v.knownSinceAt,
      v.ageBasis,
      v.lastTrafficAt,
      v.status,
      v.staleReasons,
    ];
  }
}

function malformed(what: string): never {
  throw new Error(`PortPilot received a malformed ${what} from its main process: reload the window.`);
}

function unpackRows(rows: unknown, owners: readonly MappingOwner[], what: string): MappingView[] {
  if (!Array.isArray(rows)) malformed(what);
  const out = new Array<MappingView>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r: unknown = rows[i];
    if (!Array.isArray(r) || r.length !== VIEW_KEYS.length) malformed(what);
    const owner = owners[r[10] as number];
    if (owner === undefined) malformed(what);
    // Keys in the order main builds a view, so every view shares one object shape.
    out[i] = {
      id: r[0],
      protocol: r[1],
      externalPort: r[2],
      internalAddress: r[3],
      internalPort: r[4],
      description: r[5],
      source: r[6],
      ruleIds: r[7],
      upnpMappingId: r[8],
      enabled: r[9],
      owner,
      firstSeenAt: r[11],
      knownSinceAt: r[12],
      ageBasis: r[13],
      lastTrafficAt: r[14],
      status: r[15],
      staleReasons: r[16],
    } as MappingView;
  }
  return out;
}

function record(wire: unknown, what: string): Record<string, unknown> {
  if (typeof wire !== 'object' || wire === null || !Array.isArray((wire as { owners?: unknown }).owners)) {
    malformed(what);
  }
  return wire as Record<string, unknown>;
}

export const deltaWire: WireCodec<MappingsDelta> = {
  encode(d) {
    const p = new Packer();
    return {
      seq: d.seq,
      reset: d.reset,
      removed: d.removed,
      added: p.rows(d.added),
      updated: p.rows(d.updated),
      owners: p.owners,
    };
  },
  decode(wire) {
    const w = record(wire, 'mappings delta');
    const owners = w['owners'] as MappingOwner[];
    return {
      seq: w['seq'] as number,
      added: unpackRows(w['added'], owners, 'mappings delta'),
      updated: unpackRows(w['updated'], owners, 'mappings delta'),
      removed: w['removed'] as string[],
      reset: w['reset'] as boolean,
    };
  },
};

export const snapshotWire: WireCodec<MappingsSnapshot> = {
  encode(s) {
    const p = new Packer();
    return { seq: s.seq, status: s.status, at: s.at, mappings: p.rows(s.mappings), owners: p.owners };
  },
  decode(wire) {
    const w = record(wire, 'mappings snapshot');
    return {
      mappings: unpackRows(w['mappings'], w['owners'] as MappingOwner[], 'mappings snapshot'),
      seq: w['seq'] as number,
      status: w['status'] as MappingsSnapshot['status'],
      at: w['at'] as number,
    };
  },
};
