import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domains/mappings';
import { staleReasons, statusOf, type StaleInput } from './stale';
import { parseDuration } from '../routeros/duration';
import { subnetOf, parseComment, factsFromRule } from './model';
import { hostsFrom } from './enrichment';

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const DAY = 86_400_000;
const lan = subnetOf('192.168.88.1/24', 'bridge-lan')!;
const base: StaleInput = {
  enabled: true,
  internalAddress: '192.168.88.30',
  source: 'upnp',
  host: { hostName: 'alex-laptop', mac: null, interface: 'bridge-lan', present: true, lastSeenAt: NOW },
  firstSeenAt: NOW - 2 * DAY,
  lastTrafficAt: NOW - MIN,
  subnets: [lan],
};
const codes = (i: StaleInput, s = DEFAULT_SETTINGS) => staleReasons(i, s, NOW).map((r) => r.code);

describe('stale rules', () => {
  it('a present, recently used host in the LAN is active and not stale', () => {
    expect(codes(base)).toEqual([]);
    expect(statusOf(base, [], NOW)).toBe('active');
  });

  it('owner gone: no ARP / bound lease for longer than the threshold, not before', () => {
    const gone = (ago: number): StaleInput => ({
      ...base,
      host: { ...base.host!, present: false, lastSeenAt: NOW - ago },
    });
    expect(codes(gone(23 * 60 * MIN))).toEqual([]);
    expect(codes(gone(25 * 60 * MIN))).toEqual(['owner-gone']);
    expect(codes(gone(10 * MIN), { ...DEFAULT_SETTINGS, ownerGoneMinutes: 5 })).toEqual(['owner-gone']);
    // Never seen at all (no lease, no ARP): counted from when PortPilot first saw the mapping.
    expect(codes({ ...base, host: undefined, firstSeenAt: NOW - 2 * DAY })).toEqual(['owner-gone']);
    expect(codes({ ...base, host: undefined, firstSeenAt: NOW - MIN })).toEqual([]);
  });

  it('idle: no counter change or connection for longer than the threshold', () => {
    expect(codes({ ...base, lastTrafficAt: NOW - 6 * DAY })).toEqual([]);
    expect(codes({ ...base, lastTrafficAt: NOW - 8 * DAY })).toEqual(['idle']);
    expect(codes({ ...base, lastTrafficAt: NOW - 2 * DAY }, { ...DEFAULT_SETTINGS, idleDays: 1 })).toEqual(['idle']);
    expect(codes({ ...base, lastTrafficAt: null, firstSeenAt: NOW - 9 * DAY })).toEqual(['idle']);
    expect(statusOf({ ...base, lastTrafficAt: NOW - 10 * MIN }, [], NOW)).toBe('idle');
  });

  it('outside subnet: the internal address is in no internal interface subnet (switchable)', () => {
    const foreign = { ...base, internalAddress: '10.0.0.5' };
    expect(codes(foreign)).toEqual(['outside-subnet']);
    expect(codes(foreign, { ...DEFAULT_SETTINGS, checkSubnet: false })).toEqual([]);
    expect(codes({ ...foreign, subnets: [] })).toEqual([]);
  });

  it('reasons combine, and a disabled mapping shows as disabled', () => {
    const all: StaleInput = {
      ...base,
      internalAddress: '10.0.0.5',
      host: undefined,
      firstSeenAt: NOW - 30 * DAY,
      lastTrafficAt: null,
    };
    expect(codes(all)).toEqual(['owner-gone', 'idle', 'outside-subnet']);
    expect(statusOf({ ...base, enabled: false }, [], NOW)).toBe('disabled');
  });
});

describe('model parsing', () => {
  it('parses the comments RouterOS writes (routeros-facts.md)', () => {
    expect(parseComment('upnp 192.168.88.10: ApplicationX')).toEqual({ source: 'upnp', description: 'ApplicationX' });
    expect(parseComment('nat-pmp 192.168.88.31: FaceTime')).toEqual({ source: 'nat-pmp', description: 'FaceTime' });
    expect(parseComment('static forward')).toEqual({ source: 'unknown', description: 'static forward' });
  });

  it('only dynamic dst-nat rules are mappings', () => {
    const row = {
      '.id': '*5',
      chain: 'dstnat',
      action: 'dst-nat',
      protocol: 'tcp',
      'dst-port': '55000',
      'to-addresses': '192.168.88.10',
      'to-ports': '55001',
      comment: 'upnp 192.168.88.10: X',
      dynamic: 'true',
    };
    expect(factsFromRule(row)).toMatchObject({ id: 'tcp/55000', internalPort: 55001, source: 'upnp', ruleId: '*5' });
    expect(factsFromRule({ ...row, dynamic: 'false' })).toBeNull();
    expect(factsFromRule({ ...row, action: 'masquerade' })).toBeNull();
  });

  it('durations and lease/ARP owners', () => {
    expect(parseDuration('6d1m')).toBe(6 * DAY + MIN);
    expect(parseDuration('1w')).toBe(7 * DAY);
    expect(parseDuration('300ms')).toBe(300);
    expect(parseDuration('never')).toBeUndefined();
    const hosts = hostsFrom(
      [
        { address: '192.168.88.50', 'host-name': 'old', status: 'waiting', 'last-seen': '2d' },
        { address: '192.168.88.30', status: 'bound', 'host-name': 'alex' },
      ],
      [{ address: '192.168.88.30', 'mac-address': '00:15:17:00:00:01', interface: 'bridge-lan', status: 'reachable' }],
      NOW,
    );
    expect(hosts.get('192.168.88.50')).toMatchObject({ present: false, lastSeenAt: NOW - 2 * DAY, hostName: 'old' });
    expect(hosts.get('192.168.88.30')).toMatchObject({ present: true, interface: 'bridge-lan', hostName: 'alex' });
  });
});
