/**
 * A misbehaving NAT-PMP gateway for tests (issue 18): a UDP responder on loopback that answers map
 * requests in one hostile way each. It speaks the wire format through the shared codec, so every
 * answer decodes; what is wrong is what the answer says.
 *
 *   wrong-internal-port  a success for another internal port than asked
 *   external-port-zero   a success on external port 0
 *   lifetime-zero        a success whose lifetime is 0 (which means "deleted")
 *   lifetime-max         a success for 2^32-1 s, whatever was asked
 *   delete-kept          a delete answered with the mapping still alive
 *   epoch-regress        a correct answer, but every epoch is lower than the one before
 *   garbage-first        a burst of undecodable and foreign-opcode datagrams, then a correct answer
 */
import { decodeRequest, encodeMapResponse, type MapResponse } from '../../natpmp/codec';
import { startFakeUdp, type FakeUdp } from '../test-fakes';

export const HOSTILE_NATPMP_MODES = [
  'wrong-internal-port',
  'external-port-zero',
  'lifetime-zero',
  'lifetime-max',
  'delete-kept',
  'epoch-regress',
  'garbage-first',
] as const;
export type HostileNatPmpMode = (typeof HOSTILE_NATPMP_MODES)[number];

const GARBAGE = [Buffer.from([0]), Buffer.from([1, 130, 0, 0]), Buffer.alloc(16, 0xff), Buffer.from([0, 129, 0, 0])];

export async function startHostileNatPmp(mode: HostileNatPmpMode): Promise<FakeUdp> {
  let epoch = 100_000;
  let udp: FakeUdp | undefined = undefined;
  udp = await startFakeUdp((msg, _count, from) => {
    const req = decodeRequest(msg);
    if (req.kind !== 'map') return null;
    const ok: Omit<MapResponse, 'kind'> = {
      protocol: req.protocol,
      resultCode: 0,
      epoch: mode === 'epoch-regress' ? (epoch -= 50_000) : epoch,
      internalPort: req.internalPort,
      externalPort: req.lifetimeSeconds === 0 ? 0 : req.suggestedExternalPort || 40_000,
      lifetimeSeconds: req.lifetimeSeconds,
    };
    const answer: Record<HostileNatPmpMode, () => Omit<MapResponse, 'kind'>> = {
      'wrong-internal-port': () => ({ ...ok, internalPort: req.internalPort + 1 }),
      'external-port-zero': () => ({ ...ok, externalPort: 0 }),
      'lifetime-zero': () => ({ ...ok, lifetimeSeconds: 0 }),
      'lifetime-max': () => ({ ...ok, lifetimeSeconds: 2 ** 32 - 1 }),
      'delete-kept': () => ({ ...ok, externalPort: 40_000, lifetimeSeconds: 7200 }),
      'epoch-regress': () => ok,
      'garbage-first': () => ok,
    };
    if (mode === 'garbage-first') for (const g of GARBAGE) udp?.socket.send(g, from.port, from.address);
    return encodeMapResponse(answer[mode]());
  });
  return udp;
}
