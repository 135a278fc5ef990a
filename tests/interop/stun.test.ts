// Interop (issue 12): the NAT type measured from this PC and the self-test's `inbound` step, against
// coturn 4.6.1 as a real RFC 5780 server on two WAN addresses, through routers built with nftables
// in network namespaces (stun-lab-facts.md): Linux masquerade, masquerade random,fully-random, the
// same with miniupnpd mappings, and a true double NAT. The CLI runs inside the LAN namespace; every
// command that touches a lab address runs inside a lab namespace; teardown runs even on failure.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, labUnavailableReason, type Lab, type LabOptions } from './lab';
import { nodeInNamespace, runClient, valueOf } from './lab-client';
import type { PortMapping } from '../../electron/igd-client/index';
import { existsSync } from 'node:fs';

const CLI = fileURLToPath(new URL('../../electron/cli/index.ts', import.meta.url));

const unavailable =
  labUnavailableReason() ??
  (existsSync('/usr/bin/turnserver') ? null : '/usr/bin/turnserver is missing: apt-get install coturn');
if (unavailable) console.warn(`SKIPPED interop lab: ${unavailable}`);

interface Run {
  code: number | null;
  json: Record<string, unknown>;
  stderr: string;
}

/** `cli <args>` inside namespace `ns`; resolves with the exit code and the one JSON object printed. */
async function cliIn(lab: Lab, ns: string, args: string[]): Promise<Run> {
  // The CLI must end by itself (every socket closed); a hang is killed and fails the test.
  const { code, signal, out, err } = await nodeInNamespace(lab, ns, [CLI, ...args], 50_000);
  try {
    return { code, json: JSON.parse(out) as Record<string, unknown>, stderr: err };
  } catch {
    throw new Error(`cli ${args.join(' ')} in ${ns} ended with ${code ?? signal} without JSON: ${out}\n${err}`);
  }
}

interface Step {
  id: string;
  status: string;
  detail: string;
  evidence: string[];
}
interface Finding {
  id: string;
  evidence: string[];
}

function useLab(opts: Partial<LabOptions>): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await createLab({ wan: 'public', igdV1: false, stun: true, ...opts });
  });
  afterAll(() => lab?.teardown());
  return () => {
    if (!lab) throw new Error('lab not started');
    return lab;
  };
}

const inboundOf = (json: Record<string, unknown>): Step | undefined =>
  (json['steps'] as Step[]).find((s) => s.id === 'inbound');

async function udpMappingsLeft(lab: Lab): Promise<PortMapping[]> {
  const { results } = await runClient(lab, lab.ns.lan, [{ op: 'open', location: lab.rootDescUrl }, { op: 'list' }]);
  return valueOf<PortMapping[]>(results[1]).filter((m) => m.protocol === 'UDP');
}

describe.skipIf(unavailable !== null)('plain masquerade (Linux default)', () => {
  const lab = useLab({ nat: 'masquerade' });

  it('nat-type: endpoint-independent mapping, address-and-port-dependent filtering → Moderate / Type 2 / Type B', async () => {
    const l = lab();
    const { code, json, stderr } = await cliIn(l, l.ns.lan, ['nat-type', '--stun', l.addr.wanHost, '--json']);
    expect(code, stderr + l.stunLog()).toBe(0);
    expect(json).toMatchObject({
      mapping: 'endpoint-independent',
      filtering: 'address-and-port-dependent',
      natType: { xbox: 'Moderate', playstation: 'Type 2', switch: 'Type B' },
      server: `${l.addr.wanHost}:3478`,
      rfc5780: true,
      hairpinning: 'not-supported',
      portAllocation: 'preserving',
    });
    expect(String(json['publicAddress'])).toMatch(new RegExp(`^${l.addr.publicAddress.replace(/\./g, '\\.')}:\\d+$`));
    expect((json['evidence'] as string[]).join('\n')).toMatch(/SOFTWARE "Coturn/);
  });

  it('nat-type: exit 1 when no server answers', async () => {
    const l = lab();
    const { code, json } = await cliIn(l, l.ns.lan, ['nat-type', '--stun', '11.47.0.9', '--json', '--no-hairpin']);
    expect(code).toBe(1);
    expect(json).toMatchObject({ error: { code: 'timeout' } });
  });
});

describe.skipIf(unavailable !== null)('masquerade random,fully-random, then with miniupnpd mappings', () => {
  const lab = useLab({ nat: 'random' });

  it('nat-type: the mapping changes with the destination → Strict / Type 3 / Type D', async () => {
    const l = lab();
    const { code, json } = await cliIn(l, l.ns.lan, ['nat-type', '--stun', l.addr.wanHost, '--json', '--no-hairpin']);
    expect(code).toBe(0);
    expect(['address-dependent', 'address-and-port-dependent']).toContain(json['mapping']);
    expect(json).toMatchObject({
      natType: { xbox: 'Strict', playstation: 'Type 3', switch: 'Type D' },
      portAllocation: 'random',
    });
  });

  it('selftest --stun: unsolicited UDP from coturn’s other address arrives through the UPnP and NAT-PMP mappings', async () => {
    const l = lab();
    const { code, json, stderr } = await cliIn(l, l.ns.lan, [
      'selftest',
      '--json',
      '--gateway-url',
      l.rootDescUrl,
      '--stun',
      l.addr.wanHost,
    ]);
    const inbound = inboundOf(json);
    expect(inbound?.status, JSON.stringify(inbound, null, 1) + stderr).toBe('pass');
    expect(inbound?.detail).toMatch(
      new RegExp(
        `from ${l.addr.wanHost2.replace(/\./g, '\\.')}:3479 reached this PC through the UPnP and NAT-PMP mapping`,
      ),
    );
    expect(inbound?.evidence.join('\n')).toMatch(/before any mapping: nothing came in/);
    expect(inbound?.evidence.join('\n')).toMatch(/should show Xbox Open, PlayStation Type 2 .*Nintendo Switch Type A/);
    expect(code).toBe(0);
    expect(await udpMappingsLeft(l)).toEqual([]);
  });
});

describe.skipIf(unavailable !== null)('true double NAT (an outer namespace masquerades again)', () => {
  const lab = useLab({ nat: 'masquerade', outerNat: true });

  it('selftest --stun: the mapping exists on the router, nothing comes in, the report says double NAT', async () => {
    const l = lab();
    const { code, json } = await cliIn(l, l.ns.lan, [
      'selftest',
      '--json',
      '--gateway-url',
      l.rootDescUrl,
      '--stun',
      l.addr.wanHost,
    ]);
    const inbound = inboundOf(json);
    expect(inbound?.status, JSON.stringify(inbound, null, 1)).toBe('fail');
    expect(inbound?.detail).toMatch(/double NAT/);
    expect(inbound?.evidence.join('\n')).toMatch(/the gateway lists UDP \d+ → 192\.168\.77\.10:\d+/);
    const f = (json['findings'] as Finding[]).find((x) => x.id === 'double-nat');
    expect(f?.evidence.join(' ')).toContain(
      `the mapping exists on the router (its external address is ${l.addr.rtrWan}), but the Internet sees this PC as ${l.addr.publicAddress}`,
    );
    expect(code).toBe(1);
    expect(await udpMappingsLeft(l)).toEqual([]);
  });

  it('nat-type sees the outer NAT’s address', async () => {
    const l = lab();
    const { json } = await cliIn(l, l.ns.lan, ['nat-type', '--stun', l.addr.wanHost, '--json', '--no-hairpin']);
    expect(String(json['publicAddress'])).toMatch(new RegExp(`^${l.addr.publicAddress.replace(/\./g, '\\.')}:`));
  });
});
