import { describe, expect, it } from 'vitest';
import { mappingView } from '../testing/mapping-view';
import type { MappingsDelta, MappingsSnapshot } from './mappings';
import { deltaWire, snapshotWire, VIEW_KEYS_COMPLETE } from './mappings-wire';

/** Through JSON, as over the WebSocket (IPC's structured clone keeps no more than JSON here). */
const hop = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const ps5 = {
  hostName: 'PS5',
  mac: '70:9E:29:78:27:73',
  vendor: 'Sony',
  interface: 'bridge-lan',
  present: true,
  lastSeenAt: 5,
};

describe('mapping views on the wire', () => {
  it('lists every key of a view (compile-time check)', () => {
    expect(VIEW_KEYS_COMPLETE).toBe(true);
  });

  it('a delta comes back equal, with one owner object per host', () => {
    const shared = mappingView(1, { owner: ps5 }).owner;
    const delta: MappingsDelta = {
      seq: 7,
      reset: true,
      removed: ['udp/9'],
      added: [
        { ...mappingView(1), owner: shared },
        {
          ...mappingView(2, { staleReasons: [{ code: 'idle', detail: 'no traffic for 3 days' }], status: 'stale' }),
          owner: shared,
        },
        mappingView(3, {
          upnpMappingId: '*A',
          ruleIds: [],
          lastTrafficAt: 9,
          ageBasis: 'owner-last-seen',
          knownSinceAt: 1,
        }),
      ],
      updated: [{ ...mappingView(4, { enabled: false, status: 'disabled' }), owner: shared }],
    };
    const back = deltaWire.decode(hop(deltaWire.encode(delta)));
    expect(back).toEqual(delta);
    expect(back.added[0]!.owner).toBe(back.added[1]!.owner);
    expect(back.updated[0]!.owner).toBe(back.added[0]!.owner);
    expect(Object.keys(back.added[0]!)).toEqual(Object.keys(delta.added[0]!));
  });

  it('is a fraction of the objects’ JSON for a large set of few hosts', () => {
    const owners = Array.from({ length: 100 }, (_, h) => ({ ...ps5, hostName: `device-${h}` }));
    const added = Array.from({ length: 2000 }, (_, i) => ({ ...mappingView(40000 + i), owner: owners[i % 100]! }));
    const delta: MappingsDelta = { seq: 1, reset: true, removed: [], added, updated: [] };
    const packed = JSON.stringify(deltaWire.encode(delta)).length;
    expect(packed).toBeLessThan(JSON.stringify(delta).length * 0.4);
  });

  it('a snapshot comes back equal', () => {
    const snap: MappingsSnapshot = {
      mappings: [mappingView(1), mappingView(2)],
      seq: 3,
      status: { phase: 'live', message: null, count: 2 },
      at: 1234,
    };
    expect(snapshotWire.decode(hop(snapshotWire.encode(snap)))).toEqual(snap);
  });

  it('refuses a shape it did not make instead of building views with holes', () => {
    const good = hop(deltaWire.encode({ seq: 1, reset: false, removed: [], added: [mappingView(1)], updated: [] })) as {
      added: unknown[][];
      owners: unknown[];
    };
    expect(() => deltaWire.decode(null)).toThrow(/malformed mappings delta/);
    expect(() => deltaWire.decode({ ...good, owners: undefined })).toThrow(/reload the window/);
    expect(() => deltaWire.decode({ ...good, added: [good.added[0]!.slice(1)] })).toThrow(/malformed/);
    const badOwner = [...good.added[0]!];
    badOwner[10] = 5;
    expect(() => deltaWire.decode({ ...good, added: [badOwner] })).toThrow(/malformed/);
    expect(() => snapshotWire.decode({ mappings: 'x', owners: [] })).toThrow(/malformed mappings snapshot/);
  });
});
