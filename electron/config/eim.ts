/**
 * Endpoint-independent NAT for UDP on RouterOS (issue 12). Research and sources:
 * electron/stun/README.md, "Endpoint-independent NAT on RouterOS". In short:
 * - MikroTik's NAT manual (help.mikrotik.com/docs/display/ROS/NAT, "Endpoint-Independent NAT"): the
 *   mapping comes from `chain=srcnat action=endpoint-independent-nat out-interface=WAN protocol=udp`,
 *   endpoint-independent *filtering* (any source may use the mapping) from a second rule
 *   `chain=dstnat action=endpoint-independent-nat in-interface=WAN protocol=udp`; UDP and IPv4 only;
 *   option `randomise-ports` (the manual spells it "randomize-port").
 * - It exists from RouterOS 7.10: the console tree of 7.9.2 has no `randomise-ports` on /ip firewall
 *   nat, 7.10.2 has it (tikoci/restraml docs/<ver>/inspect.json), and terraform-routeros issue #516
 *   says "Since RouterOS 7.10, NAT firewall support endpoint-independent-nat action (udp only)".
 * - NAT rules are tried in order and the first srcnat action wins, so the rule must come *before*
 *   the masquerade: the old fix appended a UDP masquerade after the existing one, where it never
 *   matched (and a masquerade is not endpoint-independent NAT anyway).
 */
import { isTrue, type RawRow } from '../core/router-port';
import { step } from '../plans';
import type { Step } from '../plans/types';
import type { RouterSnapshot } from './snapshot';

export const NAT_MENU = '/ip/firewall/nat';
export const EIM_ACTION = 'endpoint-independent-nat';
export const EIM_COMMENT = 'endpoint-independent NAT for UDP';
/** First RouterOS with action=endpoint-independent-nat. */
export const EIM_MIN_VERSION = '7.10';

/** srcnat actions that end the chain for a packet they match. */
const TERMINAL_SRCNAT = new Set(['masquerade', 'src-nat', 'netmap', 'same', 'accept', EIM_ACTION]);

/** `7.19.2 (stable)` → [7, 19, 2]; null when the version cannot be read (the seed guide's `7.x`). */
export function parseRouterOsVersion(version: string | null | undefined): [number, number, number] | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec((version ?? '').trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export type EimSupport =
  { supported: true } | { supported: false; why: string } | { supported: 'unknown'; why: string };

export function eimSupport(version: string | null | undefined): EimSupport {
  const v = parseRouterOsVersion(version);
  if (!v)
    return {
      supported: 'unknown',
      why: `PortPilot could not read the RouterOS version ("${version ?? ''}"): action=endpoint-independent-nat needs RouterOS ${EIM_MIN_VERSION} or later`,
    };
  const [major, minor] = v;
  if (major > 7 || (major === 7 && minor >= 10)) return { supported: true };
  return {
    supported: false,
    why: `RouterOS ${version} has no endpoint-independent NAT: it arrived in RouterOS ${EIM_MIN_VERSION}. Upgrade RouterOS (System › Packages › Check for updates) to use it.`,
  };
}

const enabled = (r: RawRow): boolean => !isTrue(r['disabled']);
const udpOrAll = (r: RawRow): boolean => (r['protocol'] ?? '') === '' || r['protocol'] === 'udp';

/** Could this srcnat rule take a UDP packet leaving through `wan` (and end the chain)? Rules with
 *  interface lists or address matchers are counted: they may match, and then they win. */
function takesUdpToWan(r: RawRow, wan: string): boolean {
  if (r['chain'] !== 'srcnat' || !enabled(r) || !udpOrAll(r)) return false;
  if (r['out-interface'] && r['out-interface'] !== wan) return false;
  return TERMINAL_SRCNAT.has(r['action'] ?? '');
}

export interface EimState {
  /** The endpoint-independent-nat srcnat rule that UDP to the WAN really reaches first, if any. */
  mapping: RawRow | null;
  /** An endpoint-independent-nat srcnat rule that never matches because an earlier rule wins. */
  shadowed: RawRow | null;
  /** The rule UDP to the WAN reaches first (what decides its mapping today). */
  first: RawRow | null;
  /** The dstnat endpoint-independent-nat rule that lets any peer use the mapping. */
  filtering: RawRow | null;
}

export function eimState(s: RouterSnapshot, wan: string): EimState {
  const srcnat = s.nat.filter((r) => takesUdpToWan(r, wan));
  const first = srcnat[0] ?? null;
  const eim = srcnat.find((r) => r['action'] === EIM_ACTION) ?? null;
  const filtering =
    s.nat.find(
      (r) =>
        r['chain'] === 'dstnat' &&
        r['action'] === EIM_ACTION &&
        enabled(r) &&
        udpOrAll(r) &&
        (!r['in-interface'] || r['in-interface'] === wan),
    ) ?? null;
  const mapping = first && first === eim ? first : null;
  return { mapping, shadowed: eim && !mapping ? eim : null, first, filtering };
}

/** Both rules in place and reached: what the configuration screen shows as "on". */
export function eimEnabled(s: RouterSnapshot, wan: string): boolean {
  const st = eimState(s, wan);
  return st.mapping !== null && st.filtering !== null;
}

/**
 * What a NAT rule is, for people (a plan step names it; issue 13: no "*3 chain=srcnat …" there):
 * `the masquerade rule out of ether1 (“defconf: masquerade”)`. Evidence keeps describeNatRule.
 */
export function natRuleInWords(r: RawRow): string {
  const proto = (r['protocol'] ?? '').toUpperCase();
  let what: string;
  if (r['action'] === 'masquerade')
    what = `the masquerade rule${r['out-interface'] ? ` out of ${r['out-interface']}` : ''}`;
  else if (r['action'] === 'dst-nat')
    what = `the forward of ${proto} ${r['dst-port'] ?? ''} to ${r['to-addresses'] ?? '?'}${r['to-ports'] ? `:${r['to-ports']}` : ''}`;
  else if (r['action'] === 'endpoint-independent-nat')
    what = `the endpoint-independent NAT rule for ${proto || 'all'} traffic (${r['chain'] === 'srcnat' ? 'outgoing' : 'incoming'})`;
  else what = `the ${r['chain'] ?? ''} rule “${r['action'] ?? '?'}”`;
  return `${what.replace(/\s+/g, ' ')}${r['comment'] ? ` (“${r['comment']}”)` : ''}`;
}

/** What a rule is, for evidence: `#*3 action=masquerade out-interface=ether1 "defconf: masquerade"`. */
export function describeNatRule(r: RawRow): string {
  const fields = ['chain', 'action', 'protocol', 'out-interface', 'in-interface', 'out-interface-list'];
  const parts = fields.filter((f) => r[f]).map((f) => `${f}=${r[f]}`);
  return `${r['.id'] ?? '?'} ${parts.join(' ')}${r['comment'] ? ` "${r['comment']}"` : ''}`;
}

/**
 * The steps that make UDP out of `wan` endpoint-independent: the srcnat rule placed before the rule
 * that wins today (or the existing one moved there), then the dstnat rule. No steps when the router
 * is too old (eimSupport says why) or everything is in place.
 */
export function eimSteps(s: RouterSnapshot, wan: string, version?: string | null): Step[] {
  if (!wan || eimSupport(version ?? null).supported === false) return [];
  const st = eimState(s, wan);
  const out: Step[] = [];
  const anchor = st.first && st.first['dynamic'] !== 'true' ? { id: st.first['.id'] ?? '' } : undefined;
  if (st.shadowed && anchor) {
    out.push(
      step({
        id: 'eim-move',
        description: `Move the endpoint-independent NAT rule before ${natRuleInWords(st.first ?? {})}, where it is reached first`,
        op: { verb: 'move', menu: NAT_MENU, find: { id: st.shadowed['.id'] ?? '' }, before: anchor },
      }),
    );
  } else if (!st.mapping) {
    const attrs = { chain: 'srcnat', action: EIM_ACTION, 'out-interface': wan, protocol: 'udp', comment: EIM_COMMENT };
    out.push(
      step({
        id: 'eim-add',
        description: `Endpoint-independent mapping for UDP out of ${wan}, before the masquerade (helps games and VoIP punch through)`,
        op: { verb: 'add', menu: NAT_MENU, attrs, ...(anchor ? { before: anchor } : {}) },
      }),
    );
  }
  if (!st.filtering) {
    const attrs = { chain: 'dstnat', action: EIM_ACTION, 'in-interface': wan, protocol: 'udp', comment: EIM_COMMENT };
    out.push(
      step({
        id: 'eim-filter-add',
        description: `Endpoint-independent filtering for UDP into ${wan}: any peer may use a mapping this network opened`,
        op: { verb: 'add', menu: NAT_MENU, attrs },
      }),
    );
  }
  return out;
}

/** Removes PortPilot's (or any) endpoint-independent-nat rules on `wan`'s UDP. */
export function eimRemoveSteps(s: RouterSnapshot): Step[] {
  return s.nat
    .filter((r) => r['action'] === EIM_ACTION && r['dynamic'] !== 'true')
    .map((r) =>
      step({
        id: `eim-remove-${r['.id']}`,
        description: `Remove ${natRuleInWords(r)}`,
        op: { verb: 'remove', menu: NAT_MENU, find: { id: r['.id'] ?? '' } },
      }),
    );
}
