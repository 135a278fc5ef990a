/**
 * Three things PortPilot's cleanup depends on that nobody has confirmed on a real RouterOS 7 router
 * (routeros-facts.md, "Removing a dynamic NAT rule through the API is reported by users as refused; not
 * confirmed"). The demo router models each as a switch, so PortPilot is tested against every answer a
 * real router could give. The defaults are the strictest plausible RouterOS; the evidence behind each
 * is in README.md ("Unknowns").
 */
import type { Profile } from './registry';

export type Switch = 'allow' | 'refuse';
export const SWITCH_VALUES: readonly Switch[] = ['allow', 'refuse'];

export interface Unknowns {
  /** `/ip/firewall/nat remove` of a dynamic (UPnP / NAT-PMP) rule through the API. */
  dynamicRemove: Switch;
  /** IGD DeletePortMapping from a host that is neither the mapping's internal client nor its requester. */
  foreignDelete: Switch;
  /** IGD AddPortMapping whose NewInternalClient is not the requesting host. */
  foreignAdd: Switch;
}

/** The switches as the CLI spells them (`--dynamic-remove allow|refuse`, …). */
export const UNKNOWN_FLAGS: Record<keyof Unknowns, string> = {
  dynamicRemove: 'dynamic-remove',
  foreignDelete: 'foreign-delete',
  foreignAdd: 'foreign-add',
};

/**
 * Strictest plausible per profile. `seed` keeps the guide's behaviour for the API (its rules are
 * removable, like `/ip upnp mappings remove`); the two IGD questions are refused on both, as
 * miniupnpd does in its default secure mode (igd-lab-facts.md: 606 / 718).
 */
export function defaultUnknowns(profile: Profile): Unknowns {
  return { dynamicRemove: profile === 'seed' ? 'allow' : 'refuse', foreignDelete: 'refuse', foreignAdd: 'refuse' };
}

export function resolveUnknowns(profile: Profile, given: Partial<Unknowns> = {}): Unknowns {
  return { ...defaultUnknowns(profile), ...given };
}
