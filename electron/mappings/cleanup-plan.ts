/**
 * The plan the user confirms (issue 11, "Plan before confirm"): for the selected stale mappings, the
 * least disruptive strategy this router allows — API remove → IGD DeletePortMapping → restart UPnP
 * and restore every mapping that was not selected — and what it means, in plain words, before
 * anything happens. Pure: the router's answers (learned.ts) and the mappings go in, the plan comes out.
 *
 * Where an answer is not known yet, the plan names the worst case the user confirms and what is tried
 * first (a refused request changes nothing). A UPnP restart drops every UPnP mapping ([MM]: any change
 * under /ip upnp restarts the service), never a NAT-PMP one; restoring a mapping on behalf of another
 * device may itself be refused, and then the plan says which devices lose their mapping and needs the
 * user's explicit acceptance.
 */
import type {
  CleanupPlan,
  CleanupStrategy,
  LearnedCapabilities,
  MappingView,
  NatPmpNote,
  PlanDevice,
  PlanStrategy,
} from '../../shared/domains/mappings';
import type { Entry } from './cleanup-target';
import { plural } from '../../shared/words';

export interface PlanInput {
  selected: Entry[];
  /** Every mapping on the router now. */
  all: MappingView[];
  learned: LearnedCapabilities;
  /** The router's IGD can be reached from this computer. */
  igd: boolean;
  /** This computer's address as the router sees it (its own mappings are always its own). */
  localAddress: string | null;
}

const oneByOne = (n: number): string => (n > 1 ? ' one by one' : '');
const theSelected = (n: number, noun = 'mapping'): string =>
  n === 1 ? `the selected ${noun}` : `the ${n} selected ${noun}s`;

/** `PS5-Living-Room (2), Xbox-Series-X (2) and 3 more devices`. */
export function deviceList(devices: PlanDevice[], max = 5): string {
  const names = devices.slice(0, max).map((d) => `${d.hostName ?? d.address} (${d.count})`);
  const more = devices.length - names.length;
  if (more > 0) return `${names.join(', ')} and ${plural(more, 'more device')}`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function devicesOf(views: Array<Pick<MappingView, 'internalAddress' | 'owner'>>): PlanDevice[] {
  const by = new Map<string, PlanDevice>();
  for (const v of views) {
    const d = by.get(v.internalAddress);
    if (d) d.count++;
    else by.set(v.internalAddress, { address: v.internalAddress, hostName: v.owner.hostName, count: 1 });
  }
  return [...by.values()].sort((a, b) => b.count - a.count || a.address.localeCompare(b.address));
}

const NAT_PMP_EXPIRY =
  'by itself when its device stops renewing it (NAT-PMP mappings carry a lifetime, usually an hour or two)';

export function buildPlan(input: PlanInput): CleanupPlan {
  const { learned, igd } = input;
  const selectedIds = new Set(input.selected.map((e) => e.id));
  const upnp = input.selected.filter((e) => e.source === 'upnp');
  const natPmp = input.selected.filter((e) => e.source === 'nat-pmp');
  const other = input.selected.filter((e) => e.source === 'unknown');
  const kept = input.all.filter((v) => !selectedIds.has(v.id));
  const keptUpnp = kept.filter((v) => v.source === 'upnp');
  const own = (address: string) => address === input.localAddress;

  const apiOk = learned.dynamicRemove === 'allowed';
  const igdOk = igd && (learned.foreignDelete === 'allowed' || upnp.every((e) => own(e.internalAddress)));
  const tryFirst: CleanupStrategy[] = [];
  let strategy: PlanStrategy = 'none';
  if (upnp.length > 0) {
    if (apiOk) strategy = 'api-remove';
    else if (igdOk) strategy = 'igd-delete';
    else strategy = 'flush-and-restore';
    if (!apiOk && learned.dynamicRemove === 'unknown') tryFirst.push('api-remove');
    if (strategy === 'flush-and-restore' && igd && learned.foreignDelete === 'unknown') tryFirst.push('igd-delete');
  } else if (natPmp.length + other.length > 0 && learned.dynamicRemove !== 'refused') {
    strategy = 'api-remove';
  }

  const flush = strategy === 'flush-and-restore';
  const restorable = (v: MappingView) => igd && (own(v.internalAddress) || learned.foreignAdd === 'allowed');
  const lost = flush ? keptUpnp.filter((v) => !restorable(v)) : [];
  const lose = devicesOf(lost);
  const leftToExpire = learned.dynamicRemove === 'refused' ? natPmp.length : 0;
  const natPmpUntouched: NatPmpNote[] = flush
    ? kept
        .filter((v) => v.source === 'nat-pmp')
        .map((v) => ({
          id: v.id,
          internalAddress: v.internalAddress,
          hostName: v.owner.hostName,
          expires: NAT_PMP_EXPIRY,
        }))
    : [];
  const plan: CleanupPlan = {
    strategy,
    tryFirst,
    sentences: [],
    selected: input.selected.length,
    drops: flush ? upnp.length + keptUpnp.length : 0,
    restore: flush ? keptUpnp.length - lost.length : 0,
    lose,
    loseCount: lost.length,
    needsAcceptLoss: lost.length > 0,
    leftToExpire,
    natPmpUntouched,
    learned,
    igd,
  };
  plan.sentences = sentencesFor(plan, { upnp: upnp.length, natPmp: natPmp.length, other: other.length }, keptUpnp);
  return plan;
}

interface Counts {
  upnp: number;
  natPmp: number;
  other: number;
}

function sentencesFor(plan: CleanupPlan, n: Counts, keptUpnp: MappingView[]): string[] {
  const out: string[] = [];
  if (plan.selected === 0) return ['Nothing is selected: nothing will change.'];
  if (plan.strategy === 'api-remove' && plan.learned.dynamicRemove === 'allowed') {
    out.push(
      `PortPilot will remove ${theSelected(plan.selected)}${oneByOne(plan.selected)} through the router’s API. Nothing else is touched.`,
    );
  } else if (plan.strategy === 'api-remove') {
    out.push(
      `PortPilot will try to remove ${theSelected(plan.selected)} through the router’s API (a refused request changes nothing).`,
    );
  } else if (plan.strategy === 'igd-delete') {
    out.push(
      plan.tryFirst.includes('api-remove')
        ? `PortPilot will first try to remove ${theSelected(n.upnp)} through the router’s API (a refused request changes nothing), then delete what it refuses with UPnP requests from this computer, which this router accepts. Nothing else is touched.`
        : `This router does not let PortPilot remove single UPnP mappings through its API, but it accepts UPnP delete requests from this computer. PortPilot will delete ${theSelected(n.upnp)} that way. Nothing else is touched.`,
    );
  } else if (plan.strategy === 'flush-and-restore') {
    out.push(...flushSentences(plan, n, keptUpnp));
  }
  if (n.natPmp > 0 && plan.learned.dynamicRemove === 'refused') {
    out.push(
      `This router does not let PortPilot remove NAT-PMP mappings, so ${theSelected(n.natPmp, 'NAT-PMP mapping')} ${n.natPmp === 1 ? 'stays until it expires by itself' : 'stay until they expire by themselves'}, when ${n.natPmp === 1 ? 'its device stops' : 'their devices stop'} renewing ${n.natPmp === 1 ? 'it' : 'them'}.`,
    );
  } else if (n.natPmp > 0 && plan.strategy !== 'api-remove') {
    out.push(
      `PortPilot will try to remove ${theSelected(n.natPmp, 'NAT-PMP mapping')} through the router’s API; if it refuses, they expire by themselves.`,
    );
  }
  if (n.other > 0) {
    out.push(
      `${plural(n.other, 'selected rule')} ${n.other === 1 ? 'was' : 'were'} not made by UPnP or NAT-PMP; PortPilot can only try to remove ${n.other === 1 ? 'it' : 'them'} through the router’s API.`,
    );
  }
  return out;
}

function flushSentences(plan: CleanupPlan, n: Counts, keptUpnp: MappingView[]): string[] {
  const out: string[] = [];
  const kept = keptUpnp.length;
  const which = keptUpnp.every((v) => v.status !== 'stale') ? 'that are still in use' : 'that you keep';
  const drops = `restart UPnP, which drops all ${plural(plan.drops, 'UPnP mapping')}`;
  const certainLoss = !plan.igd || plan.learned.foreignAdd === 'refused';
  let restart: string;
  if (kept === 0) restart = `${drops}; none of them is kept`;
  else if (plan.restore === kept)
    restart = `${drops}, and at once restore the ${kept} ${which} on behalf of their devices`;
  else if (!certainLoss)
    restart = `${drops}, and at once try to restore the ${kept} ${which} on behalf of their devices`;
  else if (plan.restore === 0) restart = `${drops}, also the ${kept} ${which}`;
  else restart = `${drops}, and at once restore ${plan.restore} of the ${kept} ${which}`;
  if (plan.tryFirst.length === 0) {
    out.push(`This router does not let PortPilot remove single UPnP mappings. PortPilot will ${restart}.`);
  } else {
    const how = plan.tryFirst.includes('igd-delete')
      ? 'through the router’s API, then with UPnP delete requests from this computer'
      : 'through the router’s API';
    out.push(
      `PortPilot has not removed mappings on this router before. It will first try to remove ${theSelected(n.upnp)}${oneByOne(n.upnp)} ${how} (a refused request changes nothing). If the router refuses, PortPilot will ${restart}.`,
    );
  }
  if (plan.loseCount > 0) {
    const known = !plan.igd || plan.learned.foreignAdd === 'refused';
    const why = !plan.igd
      ? 'PortPilot cannot reach the router’s UPnP from this computer'
      : known
        ? 'this router does not let PortPilot map a port on behalf of another device'
        : 'this router may not let PortPilot map a port on behalf of another device (not tried yet)';
    const which =
      plan.loseCount === kept
        ? kept === 1
          ? 'it cannot'
          : `none of the ${kept} can`
        : `${plan.loseCount} of them cannot`;
    out.push(
      `Because ${why}, ${which} be restored${known ? '' : ' then'}: ${deviceList(plan.lose)} ${known ? 'lose' : 'would lose'} their mapping until they ask for it again (most apps and consoles do when they restart or run their network test).`,
    );
  }
  const untouched = plan.natPmpUntouched.length;
  if (untouched > 0) {
    out.push(
      `The ${plural(untouched, 'NAT-PMP mapping')} ${untouched === 1 ? 'is' : 'are'} not touched: a UPnP restart does not affect NAT-PMP, and each expires ${NAT_PMP_EXPIRY}.`,
    );
  }
  return out;
}
