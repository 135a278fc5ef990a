import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { Timings } from '../stun/channel';
import { decodeMessage, encodeMessage } from '../stun/codec';
import { realStunPorts } from '../stun/real-net';
import { FakeInternet, FakeNat, FakeStunServer, ManualClock, countingRandom } from '../stun/test-fakes';
import type { CliIO } from './command';
import { parseNatTypeArgs, runNatType } from './nat-type';

const T: Timings = { rtoMs: 50, requests: 3, lastWaitFactor: 4 };

function io(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {} };
}

/** This PC behind a Linux-like masquerade (EIM, APDF), and an RFC 5780 server at 198.51.100.1. */
function world(o: { silent?: boolean } = {}) {
  const internet = new FakeInternet();
  const clock = new ManualClock();
  new FakeStunServer(internet, {
    primary: { address: '198.51.100.1', port: 3478 },
    alternate: { address: '198.51.100.3', port: 3479 },
  });
  const nat = new FakeNat(internet, '203.0.113.5', {
    mapping: 'endpoint-independent',
    filtering: 'address-and-port-dependent',
    ports: 'preserving',
    dropInbound: o.silent,
  });
  return { clock, deps: { stun: { net: nat.host, timers: clock, randomBytes: countingRandom() }, timings: T } };
}

describe('cli nat-type', () => {
  it('--json prints the measured behaviour and the consoles’ words; exit 0; says which third party it asks', async () => {
    const w = world();
    const out = io();
    const code = await w.clock.settle(runNatType(['--stun', '198.51.100.1', '--json'], out, w.deps));
    expect(code).toBe(0);
    expect(out.stdout).toHaveLength(1);
    const json = JSON.parse(out.stdout[0] ?? '') as Record<string, unknown>;
    expect(json).toMatchObject({
      mapping: 'endpoint-independent',
      filtering: 'address-and-port-dependent',
      natType: { xbox: 'Moderate', playstation: 'Type 2', switch: 'Type B' },
      publicAddress: '203.0.113.5:50000',
      server: '198.51.100.1:3478',
      rfc5780: true,
    });
    expect(out.stderr.join('\n')).toMatch(/asking the STUN server 198\.51\.100\.1:3478 \(a third party/);
  });

  it('exit 1 with the reason when no server answered', async () => {
    const w = world({ silent: true });
    const out = io();
    const code = await w.clock.settle(runNatType(['--stun', '198.51.100.1:3478', '--json'], out, w.deps));
    expect(code).toBe(1);
    expect(JSON.parse(out.stdout[0] ?? '')).toMatchObject({ error: { code: 'timeout' }, server: '198.51.100.1:3478' });
  });

  it('exit 2 on bad arguments, with the usage', async () => {
    const out = io();
    expect(await runNatType(['--stun', 'no good:1'], out, world().deps)).toBe(2);
    expect(out.stderr.join('\n')).toMatch(/--stun: .*usage: cli nat-type/s);
    expect(await runNatType(['--bogus'], io(), world().deps)).toBe(2);
  });

  it('defaults to the public RFC 5780 server', () => {
    expect(parseNatTypeArgs([]).server).toEqual({ host: 'stunserver.stunprotocol.org', port: 3478 });
  });
});

describe('cli nat-type over real UDP sockets on loopback', () => {
  let server: dgram.Socket | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('a server without RFC 5780: exit 0, the public address, mapping and filtering not measured (human output)', async () => {
    server = dgram.createSocket('udp4');
    const s = server;
    s.on('message', (msg, rinfo) => {
      const m = decodeMessage(msg);
      s.send(
        encodeMessage({
          cls: 'success',
          transactionId: m.transactionId,
          attributes: { xorMappedAddress: { family: 4, address: rinfo.address, port: rinfo.port } },
        }),
        rinfo.port,
        rinfo.address,
      );
    });
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    const out = io();
    const code = await runNatType(['--stun', `127.0.0.1:${s.address().port}`, '--no-hairpin'], out, {
      stun: realStunPorts(),
      timings: T,
    });
    expect(code).toBe(0);
    const text = out.stdout.join('\n');
    expect(text).toMatch(/Mapping: +no-nat/);
    expect(text).toMatch(/Filtering: +not-measured/);
    expect(text).toMatch(/filtering: 127\.0\.0\.1 sent no OTHER-ADDRESS/);
    expect(text).not.toMatch(/- mapping:/); // known without a second address: there is no NAT
    expect(text).toMatch(/Xbox: .*PlayStation: .*Nintendo Switch: /);
  });
});
