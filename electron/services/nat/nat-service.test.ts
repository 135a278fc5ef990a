import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../shared/contract/define';
import type { natDomain } from '../../../shared/domains/nat';
import { startStunResponder, type StunResponder } from '../../../tests/support/stun-responder';
import { memoryFileStore } from '../../mappings/file-store';
import { realStunPorts } from '../../stun/real-net';
import type { StunPorts } from '../../stun/ports';
import { createNatService, type NatServiceDeps } from './nat-service';
import { NAT_SETTINGS_FILE } from './settings-file';

type Events = typeof natDomain.events;
type Emitted =
  | { name: 'progress'; payload: PayloadOf<Events['progress']> }
  | { name: 'measured'; payload: PayloadOf<Events['measured']> };

const ctx = { transport: 'websocket' as const };
const FAST = { timings: { rtoMs: 20, requests: 2, lastWaitFactor: 2 } };

/** Real loopback sockets that count every bind: "nothing is sent" means no socket was opened. */
function countingStun(): StunPorts & { binds: number } {
  const real = realStunPorts();
  const ports = {
    ...real,
    binds: 0,
    net: { ...real.net, bind: (p?: number) => (ports.binds++, real.net.bind(p)) },
  };
  return ports;
}

function service(over: Partial<NatServiceDeps> = {}) {
  const events: Emitted[] = [];
  const files = memoryFileStore();
  const stun = countingStun();
  const svc = createNatService({
    emit: ((name: Emitted['name'], payload: unknown) =>
      events.push({ name, payload } as Emitted)) as NatServiceDeps['emit'],
    files,
    stun,
    discovery: FAST,
    now: () => Date.parse('2026-03-01T10:00:00Z'),
    ...over,
  });
  return { svc, events, files, stun };
}

let responder: StunResponder | null = null;
afterEach(async () => {
  await responder?.stop();
  responder = null;
});

describe('nat service', () => {
  it('starts on the default public server without consent, and sends nothing before the user agrees', async () => {
    const { svc, stun } = service();
    const s = await svc.settings(undefined, ctx);
    expect(s).toEqual({
      server: 'stunserver.stunprotocol.org:3478',
      defaultServer: 'stunserver.stunprotocol.org:3478',
      isDefault: true,
      consent: null,
    });
    await expect(svc.measure(undefined, ctx)).rejects.toMatchObject({
      code: 'no-consent',
      message: expect.stringContaining('stunserver.stunprotocol.org:3478'),
    });
    expect(await svc.stunServer()).toBeNull();
    expect(stun.binds).toBe(0);
  });

  it('consent names the server; another server withdraws it; the default again needs asking again', async () => {
    const { svc, files } = service();
    await expect(svc.consent({ server: '198.51.100.1:3478', agree: true }, ctx)).rejects.toMatchObject({
      code: 'server-changed',
    });
    const agreed = await svc.consent({ server: 'stunserver.stunprotocol.org', agree: true }, ctx);
    expect(agreed.consent).toEqual({ server: 'stunserver.stunprotocol.org:3478', at: '2026-03-01T10:00:00.000Z' });
    expect(await svc.stunServer()).toEqual({ host: 'stunserver.stunprotocol.org', port: 3478 });
    // Saving the same server keeps it.
    expect((await svc.saveSettings({ server: 'stunserver.stunprotocol.org:3478' }, ctx)).consent).not.toBeNull();
    const other = await svc.saveSettings({ server: 'stun.example.net' }, ctx);
    expect(other).toMatchObject({ server: 'stun.example.net:3478', isDefault: false, consent: null });
    expect(await svc.stunServer()).toBeNull();
    expect((await svc.saveSettings({ server: null }, ctx)).consent).toBeNull();
    expect(JSON.parse(files.files.get(NAT_SETTINGS_FILE) ?? '')).toEqual({ version: 1, server: null, consent: null });
    const withdrawn = await svc.consent({ server: 'stunserver.stunprotocol.org:3478', agree: true }, ctx);
    expect(withdrawn.consent).not.toBeNull();
    expect((await svc.consent({ server: withdrawn.server, agree: false }, ctx)).consent).toBeNull();
  });

  it('keeps the setting and the consent in its file; an unreadable file means "not asked"', async () => {
    const first = service();
    await first.svc.saveSettings({ server: '127.0.0.1:3478' }, ctx);
    await first.svc.consent({ server: '127.0.0.1:3478', agree: true }, ctx);
    const again = service({ files: first.files });
    expect(await again.svc.stunServer()).toEqual({ host: '127.0.0.1', port: 3478 });
    first.files.files.set(NAT_SETTINGS_FILE, '{"version":1,"server":"x","consent":{"server":');
    const lines: string[] = [];
    const broken = service({ files: first.files, log: (l) => lines.push(l) });
    expect((await broken.svc.settings(undefined, ctx)).consent).toBeNull();
    expect(lines.join('\n')).toMatch(/NAT settings unreadable/);
  });

  it('measures over real sockets against an RFC 5780 responder: progress per test, the result, last()', async () => {
    responder = await startStunResponder();
    const { svc, events } = service();
    await svc.saveSettings({ server: responder.server }, ctx);
    await svc.consent({ server: responder.server, agree: true }, ctx);
    const m = await svc.measure(undefined, ctx);
    // Loopback has no NAT: the server sees this PC's own address.
    expect(m.measurement).toMatchObject({
      rfc5780: true,
      mapping: 'no-nat',
      filtering: 'endpoint-independent',
      otherAddress: expect.stringMatching(/^127\.0\.0\.2:/),
    });
    expect(m.terms).toEqual({ xbox: 'Open', playstation: 'Type 1', switch: 'Type A' });
    expect(events.filter((e) => e.name === 'progress').map((e) => e.payload.phase)).toEqual([
      'resolve',
      'mapping',
      'filtering',
    ]);
    expect(events.at(-1)).toEqual({ name: 'measured', payload: m });
    expect(await svc.last(undefined, ctx)).toEqual(m);
    expect(responder.requests).toBeGreaterThan(0);
  });

  it('with a server without RFC 5780: measures what it can and says what it could not', async () => {
    responder = await startStunResponder({ rfc5780: false });
    const { svc } = service();
    await svc.saveSettings({ server: responder.server }, ctx);
    await svc.consent({ server: responder.server, agree: true }, ctx);
    const m = await svc.measure(undefined, ctx);
    expect(m.measurement.rfc5780).toBe(false);
    expect(m.measurement.publicAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(m.measurement.notMeasured).toEqual([
      { aspect: 'filtering', why: expect.stringContaining('sent no OTHER-ADDRESS') },
      { aspect: 'hairpinning', why: expect.any(String) },
    ]);
  });

  it('a server that does not answer: no-answer with what to do; a second measurement while one runs: busy', async () => {
    const silent = await startStunResponder();
    const server = silent.server;
    await silent.stop(); // the port is closed now: nothing answers there
    const { svc } = service();
    await svc.saveSettings({ server }, ctx);
    await svc.consent({ server, agree: true }, ctx);
    const first = svc.measure(undefined, ctx);
    await expect(svc.measure(undefined, ctx)).rejects.toMatchObject({ code: 'busy' });
    await expect(first).rejects.toMatchObject({ code: 'no-answer', message: expect.stringMatching(/did not answer/) });
    expect(await svc.last(undefined, ctx)).toBeNull();
  });
});
