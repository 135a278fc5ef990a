// NAT behaviour in plain words for the screens (issue 12). The RFC 4787 terms stay beside them for
// people who search for them; shared/nat-type.ts turns the same behaviours into console words.
import type { FilteringBehaviour, HairpinningResult, MappingBehaviour, NatLevel } from '../../../../shared/nat-type';

export const MAPPING_WORDS: Record<MappingBehaviour, string> = {
  'no-nat': 'no NAT: the Internet sees this PC’s own address',
  'endpoint-independent': 'keeps the same public port whoever this PC talks to (best for games)',
  'address-dependent': 'takes a new public port for every server address this PC talks to',
  'address-and-port-dependent': 'takes a new public port for every server address and port (hardest for games)',
  'not-measured': 'not measured',
};

export const FILTERING_WORDS: Record<FilteringBehaviour, string> = {
  'endpoint-independent': 'anyone may answer once this PC has sent something out',
  'address-dependent': 'only addresses this PC has sent to may answer',
  'address-and-port-dependent': 'only the exact address and port this PC has sent to may answer',
  'not-measured': 'not measured',
};

export const HAIRPIN_WORDS: Record<HairpinningResult, string> = {
  supported: 'yes: devices here can reach each other through the public address',
  'not-supported': 'no: devices here cannot reach each other through the public address',
  'not-measured': 'not measured',
};

export type TagType = 'success' | 'warning' | 'error' | 'default';

/** One colour for a measurement: the worst level it allows ([] = nothing to colour). */
export function levelTag(levels: NatLevel[]): TagType {
  if (levels.includes('strict')) return 'error';
  if (levels.includes('moderate')) return 'warning';
  return levels.includes('open') ? 'success' : 'default';
}

/** The glossary under the NAT cards: short, for people who never read an RFC. */
export const GLOSSARY: Array<{ term: string; meaning: string }> = [
  {
    term: 'NAT',
    meaning:
      'Network Address Translation: your router shares one public Internet address among all your devices and keeps a table of which device talks to whom.',
  },
  {
    term: 'NAT type',
    meaning:
      'How easily other players can reach a device. Xbox says Open, Moderate or Strict; PlayStation Type 1, 2 or 3; Nintendo Switch A to D. Open / Type 2 / A: others can connect to you. Moderate / B: most games work, some players cannot join you. Strict / Type 3 / C–D: you can only connect to Open players; voice chat and hosting often fail.',
  },
  {
    term: 'Mapping',
    meaning:
      'Which public port the router gives a device’s connection. Keeping the same port whoever it talks to (“endpoint-independent”, RFC 4787) lets players find each other.',
  },
  {
    term: 'Filtering',
    meaning:
      'Which senders on the Internet the router lets through to a device that has sent something out. The fewer it blocks, the more open the NAT type.',
  },
  {
    term: 'UPnP / NAT-PMP',
    meaning:
      'How a console or game asks the router to open a port for it. When that works, the device is Open whatever the filtering.',
  },
  {
    term: 'STUN server',
    meaning:
      'A server on the Internet that tells this PC the public address and port it sees. One with a second address (RFC 5780) can also answer from there, which tests the filtering.',
  },
];
