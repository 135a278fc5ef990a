/*
 * NAT behaviour in RFC 4787 terms, and the words consoles use for it, chosen in this one place: the
 * troubleshooter's prediction (electron/diagnose/predict.ts) and the measurement from this PC
 * (electron/stun/, `cli nat-type`) both label through here (issue 12; issue 13 found the CLI and the
 * screen disagreeing).
 *
 * Sources for the console terms:
 * - Xbox: Microsoft's definitions for Xbox Live, as quoted by CAI Networks, "Strict, Moderate, and Open
 *   NAT" (cainetworks.com/support/how-to-NAT-strict-open.html): Open = a minimal port-assignment
 *   policy (endpoint-independent mapping) without filtering, or working UPnP; Moderate = minimal port
 *   assignment but the device filters addresses or ports; Strict = an aggressive port-assignment
 *   policy (the mapping changes per destination). Xbox support KB 840420 names the three types.
 * - PlayStation: Sony's Internet connection test, as reproduced by support.com, "How to change NAT
 *   type on PlayStation 4" (techsolutions.support.com/how-to/how-to-change-nat-type-on-playstation-4-12473):
 *   Type 1 = the console is connected directly to the Internet, Type 2 = connected through a router,
 *   Type 3 = connected through a router that restricts it. Behind any router the best is Type 2, so a
 *   proven inbound mapping is "Open" for Xbox but still "Type 2" for PlayStation.
 * - Nintendo Switch: wiki.tilde.fun/admin/network/nat ("The detection of Nintendo Switch"): A =
 *   endpoint-independent mapping with endpoint-independent or address-dependent filtering; B =
 *   endpoint-independent mapping with address-and-port-dependent filtering; C = another mapping but a
 *   predictable source port; D = all other cases (F = no UDP at all).
 */
import type { Platform } from './domains/diagnose';

export type NatLevel = 'open' | 'moderate' | 'strict';

/** RFC 4787 §4.1 mapping behaviour ('no-nat': the server saw this PC's own address and port). */
export type MappingBehaviour =
  'no-nat' | 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent' | 'not-measured';

/** RFC 4787 §5 filtering behaviour. */
export type FilteringBehaviour =
  'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent' | 'not-measured';

/** How the NAT picks public ports for new mappings (RFC 4787 §4.2.1 port preservation). */
export type PortAllocation = 'preserving' | 'sequential' | 'random' | 'unknown';

export type HairpinningResult = 'supported' | 'not-supported' | 'not-measured';

export interface NatNotMeasured {
  aspect: 'mapping' | 'filtering' | 'hairpinning';
  why: string;
}

/** What `discoverNat` measured from this PC against one STUN server (RFC 5780 §4). */
export interface NatMeasurement {
  server: { host: string; port: number; address: string; software?: string };
  /** The server gave an OTHER-ADDRESS (RFC 5780): mapping and filtering could be tested. */
  rfc5780: boolean;
  otherAddress: string | null;
  /** This PC's address as the Internet sees it ("ip:port"). */
  publicAddress: string | null;
  mapping: MappingBehaviour;
  filtering: FilteringBehaviour;
  hairpinning: HairpinningResult;
  portAllocation: PortAllocation;
  notMeasured: NatNotMeasured[];
  /** One fact per line: what was sent where and what came back. */
  evidence: string[];
}

/** Which levels a measurement allows (two when one aspect could not be measured), and the Switch
 *  letters, which split the levels differently. */
export interface NatVerdict {
  levels: NatLevel[];
  switchLetters: string[];
  /** This PC holds the public address itself: PlayStation's Type 1. */
  noNat: boolean;
}

export interface NatTypeTerms {
  xbox: string;
  playstation: string;
  switch: string;
}

function switchFor(mapping: MappingBehaviour, filtering: FilteringBehaviour, ports: PortAllocation): string[] {
  if (mapping === 'not-measured') return [];
  if (mapping === 'endpoint-independent' || mapping === 'no-nat') {
    if (filtering === 'not-measured') return ['A', 'B'];
    return filtering === 'address-and-port-dependent' ? ['B'] : ['A'];
  }
  if (ports === 'preserving' || ports === 'sequential') return ['C'];
  return ports === 'random' ? ['D'] : ['C', 'D'];
}

function levelsFor(mapping: MappingBehaviour, filtering: FilteringBehaviour): NatLevel[] {
  if (mapping === 'not-measured') return [];
  if (mapping === 'address-dependent' || mapping === 'address-and-port-dependent') return ['strict'];
  if (filtering === 'not-measured') return ['open', 'moderate'];
  return filtering === 'endpoint-independent' ? ['open'] : ['moderate'];
}

/** The verdict of a measurement. A mapping proven to let unsolicited traffic in (the self-test's
 *  inbound step) is Open whatever the filtering: that is what UPnP is for. */
export function verdictFromBehaviour(b: {
  mapping: MappingBehaviour;
  filtering: FilteringBehaviour;
  portAllocation?: PortAllocation;
  inboundProven?: boolean;
}): NatVerdict {
  const noNat = b.mapping === 'no-nat';
  if (b.inboundProven) return { levels: ['open'], switchLetters: ['A'], noNat };
  return {
    levels: levelsFor(b.mapping, b.filtering),
    switchLetters: switchFor(b.mapping, b.filtering, b.portAllocation ?? 'unknown'),
    noNat,
  };
}

/** The verdict of a prediction from the router's configuration (one level, no port details). */
export function verdictFromLevel(level: NatLevel, noNat = false): NatVerdict {
  const letters: Record<NatLevel, string[]> = { open: ['A'], moderate: ['B'], strict: ['C', 'D'] };
  return { levels: [level], switchLetters: letters[level], noNat };
}

const XBOX: Record<NatLevel, string> = { open: 'Open', moderate: 'Moderate', strict: 'Strict' };
const NOT_MEASURED = 'not measured';

const either = (words: string[]): string => [...new Set(words)].join(' or ') || NOT_MEASURED;

export function natTypeTerms(v: NatVerdict): NatTypeTerms {
  const ps = (l: NatLevel): string => (l === 'strict' ? 'Type 3' : l === 'open' && v.noNat ? 'Type 1' : 'Type 2');
  return {
    xbox: either(v.levels.map((l) => XBOX[l])),
    playstation: either(v.levels.map(ps)),
    switch: v.switchLetters.length ? `Type ${either(v.switchLetters)}` : NOT_MEASURED,
  };
}

/** The one word a platform's own network test shows; platforms without their own words (Steam,
 *  VoIP, a PC) get Xbox's, the most widely used. */
export function platformNatLabel(platform: Platform, v: NatVerdict): string {
  const t = natTypeTerms(v);
  if (platform === 'playstation') return t.playstation;
  if (platform === 'switch') return t.switch === NOT_MEASURED ? t.switch : `NAT ${t.switch}`;
  return t.xbox;
}

/** What a NAT level means for play, in the same words on every screen and in the CLI (issue 13). */
export const NAT_LEVEL_MEANING: Record<NatLevel, string> = {
  open: 'others can connect to it',
  moderate: 'most games work, some players cannot connect to it',
  strict: 'it can only connect to players with an open NAT',
};

/** A predicted NAT type as people read it, e.g. "Type 2 — others can connect to it". The screen
 *  (NatPredictionCard) and the CLI's report both print it from here. */
export function natTypeLine(platform: Platform, level: NatLevel): string {
  return `${platformNatLabel(platform, verdictFromLevel(level))} — ${NAT_LEVEL_MEANING[level]}`;
}
