/**
 * The two evaluators under the checks: first-match port rules (exact denied ranges, checked against
 * a port-by-port brute force with fast-check) and the filter-chain walk on RouterOS's real defconf
 * (interface lists, !dstnat, matchers PortPilot cannot evaluate).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../core/router-port';
import { evaluateChain, type Packet } from './firewall';
import { deniedRanges, firstMatch, type PortRule } from './port-rules';

const rule = (
  n: number,
  action: 'allow' | 'deny',
  protocol: PortRule['protocol'],
  lo: number,
  hi: number,
  hosts: [number, number] | null = null,
): PortRule => ({
  number: n,
  action,
  protocol,
  ports: [lo, hi],
  hosts,
  label: `#${n}`,
  rule: { action, interface: '', protocol, dstPort: `${lo}-${hi}`, internalAddress: '', comment: '' },
});

describe('deniedRanges', () => {
  it('the guide’s list: high ports allowed, privileged denied', () => {
    const rules = [rule(1, 'allow', 'udp', 1024, 65535), rule(2, 'deny', 'udp', 0, 1023)];
    expect(deniedRanges(rules, '192.168.88.20', 'udp', 0, 65535).map((d) => [d.from, d.to, d.rule.number])).toEqual([
      [0, 1023, 2],
    ]);
  });

  it('matches a port-by-port evaluation for random rule lists', () => {
    const arbRule = fc.record({
      action: fc.constantFrom('allow' as const, 'deny' as const),
      protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'both' as const),
      lo: fc.integer({ min: 0, max: 200 }),
      len: fc.integer({ min: 0, max: 80 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbRule, { maxLength: 6 }),
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: 0, max: 150 }),
        (spec, a, b) => {
          const rules = spec.map((r, i) => rule(i + 1, r.action, r.protocol, r.lo, r.lo + r.len));
          const [lo, hi] = [Math.min(a, b), Math.max(a, b) + 20];
          const ranges = deniedRanges(rules, '10.0.0.1', 'udp', lo, hi);
          for (let p = lo; p <= hi; p++) {
            const m = firstMatch(rules, '10.0.0.1', 'udp', p);
            const inRange = ranges.find((d) => p >= d.from && p <= d.to);
            expect(!!inRange).toBe(m?.action === 'deny');
            if (inRange) expect(inRange.rule).toBe(m);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('host-restricted rules only apply to their hosts', () => {
    const host = 192 * 2 ** 24 + 168 * 2 ** 16 + 88 * 256 + 10;
    const rules = [rule(1, 'allow', 'tcp', 32400, 32400, [host, host]), rule(2, 'deny', 'tcp', 32400, 32400)];
    expect(deniedRanges(rules, '192.168.88.10', 'tcp', 32400, 32400)).toEqual([]);
    expect(deniedRanges(rules, '192.168.88.30', 'tcp', 32400, 32400)).toHaveLength(1);
    expect(deniedRanges(rules, '192.168.88.30', 'tcp', 32400, 32400, { ignorePins: true })).toEqual([]);
  });
});

/** RouterOS 7 defconf (MikroTik's default configuration script), as /ip firewall filter prints it. */
const DEFCONF: RawRow[] = [
  { chain: 'input', action: 'accept', 'connection-state': 'established,related,untracked' },
  { chain: 'input', action: 'drop', 'connection-state': 'invalid' },
  { chain: 'input', action: 'accept', protocol: 'icmp' },
  { chain: 'input', action: 'accept', 'dst-address': '127.0.0.1' },
  { chain: 'input', action: 'drop', 'in-interface-list': '!LAN' },
  { chain: 'forward', action: 'accept', 'ipsec-policy': 'in,ipsec' },
  { chain: 'forward', action: 'fasttrack-connection', 'connection-state': 'established,related', 'hw-offload': 'true' },
  { chain: 'forward', action: 'accept', 'connection-state': 'established,related,untracked' },
  { chain: 'forward', action: 'drop', 'connection-state': 'invalid' },
  {
    chain: 'forward',
    action: 'drop',
    'connection-state': 'new',
    'connection-nat-state': '!dstnat',
    'in-interface-list': 'WAN',
  },
];

const pkt = (p: Partial<Packet>): Packet => ({
  chain: 'input',
  protocol: 'udp',
  dstPort: 1900,
  dstAddress: '239.255.255.250',
  inInterface: 'bridge',
  lan: ['bridge'],
  wan: ['ether1'],
  connectionState: 'new',
  natState: '',
  ...p,
});

describe('evaluateChain on the real defconf', () => {
  it('SSDP from the LAN is not dropped; the same from the WAN is', () => {
    expect(evaluateChain(DEFCONF, pkt({})).action).toBe('none');
    expect(evaluateChain(DEFCONF, pkt({ inInterface: 'ether1' }))).toMatchObject({ action: 'drop', number: 5 });
  });

  it('a dst-nat’ed connection from the WAN passes forward; a plain one is dropped', () => {
    const fwd = { chain: 'forward' as const, inInterface: 'ether1', dstAddress: '192.168.88.20', dstPort: 3074 };
    const mapped = evaluateChain(DEFCONF, pkt({ ...fwd, natState: 'dstnat' }));
    expect(mapped.action).toBe('none');
    expect(mapped.uncertain.map((r) => r['action'])).toEqual(['accept']); // ipsec-policy cannot be evaluated
    expect(evaluateChain(DEFCONF, pkt(fwd))).toMatchObject({ action: 'drop', number: 10 });
  });

  it('disabled rules and rules for other chains are skipped', () => {
    const rules: RawRow[] = [
      { chain: 'input', action: 'drop', protocol: 'udp', 'dst-port': '1900', disabled: 'true' },
      { chain: 'forward', action: 'drop', protocol: 'udp' },
    ];
    expect(evaluateChain(rules, pkt({})).action).toBe('none');
  });
});
