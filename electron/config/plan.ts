/** Assembles steps into a Plan: ids, the flush count (live mappings a restart drops), warnings. */
import { randomUUID } from 'node:crypto';
import type { Plan, Step } from '../plans/types';
import { orderedListSteps } from './ordered-list';
import {
  describeRule,
  PERMISSION_KEY,
  PERMISSIONS_MENU,
  ruleAttrs,
  ruleFromRow,
  type PermissionRule,
} from './permissions';
import { protectionRules, protectionSteps } from './protection';
import type { RouterSnapshot } from './snapshot';
import { plural } from '../../shared/words';

export function makePlan(title: string, steps: Step[], s: RouterSnapshot, warnings: string[] = []): Plan {
  const restartsUpnp = steps.some((x) => x.restartsUpnp);
  const restartsNatPmp = steps.some((x) => x.restartsNatPmp);
  const flush = { upnp: restartsUpnp ? s.liveMappings.upnp : 0, natPmp: restartsNatPmp ? s.liveMappings.natPmp : 0 };
  const all = [...warnings];
  if (restartsUpnp) all.push(restartWarning('UPnP', flush.upnp));
  if (restartsNatPmp) all.push(restartWarning('NAT-PMP', flush.natPmp));
  // Step ids must be unique within a plan (the journal matches by position and id).
  const seen = new Map<string, number>();
  const unique = steps.map((x) => {
    const n = (seen.get(x.id) ?? 0) + 1;
    seen.set(x.id, n);
    return n === 1 ? x : { ...x, id: `${x.id}-${n}` };
  });
  return { id: randomUUID(), title, steps: unique, flush, warnings: all };
}

function restartWarning(service: string, n: number): string {
  if (n === 0) return `Applying restarts the ${service} service; it has no live mappings now, so none are dropped.`;
  return `Applying restarts the ${service} service: ${plural(n, `live ${service} mapping`)} will be dropped (their apps have to ask again).`;
}

/**
 * The permission list as steps: on a router with the seed guide's permissions menu, the ordered list
 * itself; on real RouterOS 7, PortPilot's firewall protection rules (protection.ts) instead.
 */
export function permissionSteps(s: RouterSnapshot, rules: PermissionRule[], wan: string): Step[] {
  if (s.permissions) {
    return orderedListSteps({
      menu: PERMISSIONS_MENU,
      current: s.permissions,
      managed: () => true,
      keyFields: PERMISSION_KEY,
      target: rules.map(ruleAttrs),
      anchorId: null,
      idPrefix: 'perm',
      describe: (attrs) => `UPnP permission: ${describeRule(ruleFromRow(attrs))}`,
    });
  }
  return protectionSteps(s.filter, protectionRules(rules, wan));
}
