/** The permission list as the screens show it (null on RouterOS 7), with never-matching rules. */
import { ruleFromRow, shadowedRules, type PermissionRule, type ShadowedRule } from './permissions';
import type { RouterSnapshot } from './snapshot';

export function permissionsView(s: RouterSnapshot): { rules: PermissionRule[] | null; shadowed: ShadowedRule[] } {
  if (!s.permissions) return { rules: null, shadowed: [] };
  const rules = s.permissions.map(ruleFromRow);
  // Disabled rows never match; they are shown but left out of the analysis.
  const enabled = s.permissions
    .map((r, i) => ({ r: rules[i] as PermissionRule, on: r['disabled'] !== 'true', i }))
    .filter((x) => x.on);
  const shadowed = shadowedRules(enabled.map((x) => x.r)).map((sh) => ({
    ...sh,
    index: enabled[sh.index]?.i ?? sh.index,
    coveredBy: enabled[sh.coveredBy]?.i ?? sh.coveredBy,
  }));
  return { rules, shadowed };
}
