/**
 * Whether the router restores a mapping on behalf of another device, asked before the user confirms a
 * restart (issue 11: "if the router refuses restoring for another host, say so in the preview
 * beforehand"). The question is an AddPortMapping of a mapping that exists, exactly as it is, on behalf
 * of its own device: accepted, it changes nothing (IGD WANIPConnection §2.4.16: the same client
 * re-adding a mapping updates it in place); refused (606, or 718 from a miniupnpd-style secure mode),
 * nothing changed either. A stale mapping is asked first — its device left, so not even a brief
 * update can disturb it — and one whose address is outside the internal network never, since the
 * router would refuse it for that reason alone.
 */
import type { Answer, MappingView } from '../../shared/domains/mappings';
import { CONFLICT, faultCode, NOT_AUTHORIZED, type IgdActions } from './igd-port';

export function probeTarget(candidates: MappingView[], kept: MappingView[], local: string | null): MappingView | null {
  const usable = (v: MappingView) =>
    v.source === 'upnp' && v.internalAddress !== local && !v.staleReasons.some((r) => r.code === 'outside-subnet');
  return candidates.find(usable) ?? kept.find(usable) ?? null;
}

export async function probeForeignAdd(igd: IgdActions, v: MappingView): Promise<Answer> {
  try {
    await igd.addMapping({
      protocol: v.protocol,
      externalPort: v.externalPort,
      internalAddress: v.internalAddress,
      internalPort: v.internalPort,
      description: v.description,
      enabled: v.enabled,
      leaseSeconds: 0,
    });
    return 'allowed';
  } catch (err) {
    const code = faultCode(err);
    return code === NOT_AUTHORIZED || code === CONFLICT ? 'refused' : 'unknown';
  }
}
