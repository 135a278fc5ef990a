import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS, StunChannel, giveUpAfterMs, type Timings } from './channel';
import { decodeMessage, encodeMessage, type StunMessage } from './codec';
import { StunError } from './errors';
import type { UdpEndpoint } from './ports';
import { FakeHost, FakeInternet, ManualClock, countingRandom } from './test-fakes';

const SERVER = { address: '198.51.100.7', port: 3478 };
const T: Timings = { rtoMs: 100, requests: 4, lastWaitFactor: 8 };

/** A PC with a public address, and a hand-written responder at SERVER. */
async function setup(
  respond: (m: StunMessage, from: UdpEndpoint, reply: (b: Buffer, src?: UdpEndpoint) => void) => void,
) {
  const internet = new FakeInternet();
  const clock = new ManualClock();
  const host = new FakeHost('203.0.113.9', (d, f, t) => internet.send(d, f, t));
  internet.attach(host.address, (d, f, t) => host.deliver(d, f, t.port));
  const sendTimes: number[] = [];
  internet.attach(SERVER.address, (d, from) => {
    sendTimes.push(clock.now);
    respond(decodeMessage(d), from, (b, src = SERVER) => internet.send(b, src, from));
  });
  const socket = await host.bind();
  const channel = new StunChannel(socket, { timers: clock, randomBytes: countingRandom() }, T);
  return { channel, clock, sendTimes, internet, host, socket };
}

const success = (m: StunMessage, from: UdpEndpoint, extra = {}): Buffer =>
  encodeMessage({
    cls: 'success',
    transactionId: m.transactionId,
    attributes: { xorMappedAddress: { family: 4, ...from }, ...extra },
  });

describe('StunChannel: RFC 5389 §7.2.1 transactions', () => {
  it('retransmits at 0, RTO, 3 RTO… and takes the answer to a later copy', async () => {
    let n = 0;
    const { channel, clock, sendTimes } = await setup((m, from, reply) => {
      if (++n === 3) reply(success(m, from, { otherAddress: { family: 4, address: '198.51.100.8', port: 3479 } }));
    });
    const answer = await clock.settle(channel.binding(SERVER));
    expect(sendTimes).toEqual([0, 100, 300]);
    expect(answer).toMatchObject({ sent: 3, mapped: { address: '203.0.113.9' }, otherAddress: { port: 3479 } });
  });

  it('gives up after Rc requests and a last wait of Rm × RTO, with a typed timeout', async () => {
    const { channel, clock, sendTimes } = await setup(() => undefined);
    const err = await clock.settle(channel.binding(SERVER)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StunError);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(sendTimes).toEqual([0, 100, 300, 700]);
    expect(clock.now).toBe(giveUpAfterMs(T));
    expect(giveUpAfterMs(T)).toBe(700 + 800);
    expect(giveUpAfterMs(DEFAULT_TIMINGS)).toBe(3750);
  });

  it('matches answers by transaction id: a stale or foreign id is ignored and noted', async () => {
    const { channel, clock } = await setup((m, from, reply) => {
      const other = Buffer.from(m.transactionId);
      other[0] = (other[0] ?? 0) ^ 0xff;
      reply(
        encodeMessage({
          cls: 'success',
          transactionId: other,
          attributes: { xorMappedAddress: { family: 4, address: '6.6.6.6', port: 6 } },
        }),
      );
      reply(success(m, from));
    });
    const answer = await clock.settle(channel.binding(SERVER));
    expect(answer.mapped.address).toBe('203.0.113.9');
    expect(channel.ignored).toEqual(['198.51.100.7:3478: an answer to a transaction PortPilot is not waiting for']);
  });

  it('accepts answers only from the address asked, unless the caller allows more', async () => {
    const { channel, clock } = await setup((m, from, reply) => {
      reply(success(m, { address: '6.6.6.6', port: 6 }), { address: '198.51.100.99', port: 3478 });
      reply(success(m, from));
    });
    const answer = await clock.settle(channel.binding(SERVER));
    expect(answer.from).toEqual(SERVER);
    expect(channel.ignored[0]).toMatch(/198\.51\.100\.99:3478: answered a request sent to 198\.51\.100\.7:3478/);
  });

  it('turns an error response into StunError error-response with the ERROR-CODE', async () => {
    const { channel, clock } = await setup((m, _f, reply) =>
      reply(
        encodeMessage({
          cls: 'error',
          transactionId: m.transactionId,
          attributes: { errorCode: { code: 420, reason: 'Unknown Attribute' } },
        }),
      ),
    );
    const err = await clock
      .settle(channel.binding(SERVER, { change: { changeIp: true, changePort: true } }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StunError', code: 'error-response', errorCode: 420 });
    expect((err as Error).message).toContain('420 Unknown Attribute');
  });

  it('sends CHANGE-REQUEST only when asked', async () => {
    const seen: string[] = [];
    const { channel, clock } = await setup((m, from, reply) => {
      const c = m.attributes.changeRequest;
      seen.push(c ? `${c.changeIp}/${c.changePort}` : 'none');
      reply(success(m, from));
    });
    await clock.settle(channel.binding(SERVER));
    await clock.settle(channel.binding(SERVER, { change: { changeIp: false, changePort: true } }));
    expect(seen).toEqual(['none', 'false/true']);
  });

  it('ignores junk, oversized and success-without-address datagrams while it waits', async () => {
    const { channel, clock } = await setup((m, from, reply) => {
      reply(Buffer.from('hello'));
      reply(Buffer.alloc(4000));
      reply(encodeMessage({ cls: 'success', transactionId: m.transactionId }));
      reply(success(m, from));
    });
    await expect(clock.settle(channel.binding(SERVER))).resolves.toMatchObject({ sent: 1 });
    expect(channel.ignored).toEqual([
      '198.51.100.7:3478: not a usable STUN message (too-short)',
      '198.51.100.7:3478: 4000 bytes, too large for an answer',
      '198.51.100.7:3478: a Binding success without XOR-MAPPED-ADDRESS',
    ]);
  });

  it('never fails a transaction on random datagrams, and keeps at most 10 notes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 120 }), { minLength: 1, maxLength: 30 }), async (junk) => {
        const { channel, clock } = await setup((m, from, reply) => {
          for (const j of junk) reply(Buffer.from(j));
          reply(success(m, from));
        });
        await expect(clock.settle(channel.binding(SERVER))).resolves.toMatchObject({ sent: 1 });
        expect(channel.ignored.length).toBeLessThanOrEqual(11);
      }),
      { numRuns: 50 },
    );
  });

  it('detach() rejects waiting transactions with closed', async () => {
    const { channel } = await setup(() => undefined);
    const p = channel.binding(SERVER);
    channel.detach();
    await expect(p).rejects.toMatchObject({ code: 'closed' });
  });
});
