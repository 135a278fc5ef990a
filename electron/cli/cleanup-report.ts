/** What `cleanup` prints: the plan and the summary, as text for people and as JSON for scripts. */
import {
  reasonOf,
  type CleanupCandidate,
  type CleanupPlan,
  type CleanupSummary,
  type KeptOutcome,
  type TargetOutcome,
} from '../../shared/domains/mappings';
import { ownerAction, REASONS } from '../mappings/cleanup-outcomes';

const who = (o: { internalAddress: string; hostName: string | null }): string =>
  o.hostName ? `${o.hostName} (${o.internalAddress})` : o.internalAddress;

/** Gone means gone: removed, or found already gone on the re-check. */
const goneIn =
  (s: CleanupSummary) =>
  (t: TargetOutcome): boolean =>
    t.result === 'removed' || reasonOf(s, t) === REASONS.alreadyGone;

/** Exit 0 only when every target is gone and every kept mapping is present. */
export const wentAsPlanned = (s: CleanupSummary): boolean =>
  s.targets.every(goneIn(s)) && s.kept.every((k) => k.result !== 'not-restored');

export function planJson(plan: CleanupPlan, picked: CleanupCandidate[]) {
  return {
    strategy: plan.strategy,
    tryFirst: plan.tryFirst,
    plan: plan.sentences,
    targets: picked.map((c) => ({
      id: c.mapping.id,
      internalAddress: c.mapping.internalAddress,
      hostName: c.mapping.owner.hostName,
      description: c.mapping.description,
      reasons: c.reasons.map((r) => r.code),
    })),
    drops: plan.drops,
    restore: plan.restore,
    notRestored: plan.lose,
    needsAcceptLoss: plan.needsAcceptLoss,
  };
}

export function planText(plan: CleanupPlan, picked: CleanupCandidate[], router: string, applied: boolean): string {
  if (picked.length === 0) return `No stale mappings to clean up on ${router}.`;
  const lines = [`${picked.length} stale mapping${picked.length === 1 ? '' : 's'} on ${router}:`];
  for (const c of picked) {
    const m = c.mapping;
    lines.push(
      `  ${m.id} → ${who({ internalAddress: m.internalAddress, hostName: m.owner.hostName })} “${m.description}”`,
    );
    for (const r of c.reasons) lines.push(`      ${r.detail}`);
  }
  lines.push('', `Plan (${plan.strategy}):`, ...plan.sentences.map((s) => `  ${s}`));
  if (!applied) lines.push('', 'Nothing was changed. Run again with --apply to carry out this plan.');
  return lines.join('\n');
}

const targetItem = (t: TargetOutcome | KeptOutcome) => ({
  id: t.id,
  internalAddress: t.internalAddress,
  hostName: t.hostName,
  description: t.description,
});

export function summaryJson(s: CleanupSummary) {
  const gone = goneIn(s);
  const restored = s.kept.filter((k) => k.result !== 'not-restored');
  const failedTargets = s.targets.filter((t) => !gone(t));
  const notRestored = s.kept.filter((k) => k.result === 'not-restored');
  return {
    strategy: s.strategy,
    removed: s.targets.filter(gone).map((t) => ({ ...targetItem(t), how: t.how, reason: reasonOf(s, t) })),
    restored: restored.map((k: KeptOutcome) => ({
      ...targetItem(k),
      by: k.result === 'restored' ? 'portpilot' : 'device',
    })),
    failed: [
      ...failedTargets.map((t) => ({ ...targetItem(t), selected: true, reason: reasonOf(s, t), action: null })),
      ...notRestored.map((k) => ({
        ...targetItem(k),
        selected: false,
        reason: reasonOf(s, k),
        action: ownerAction(who(k)),
      })),
    ],
  };
}

export function summaryText(s: CleanupSummary, router: string): string {
  const counts = [`removed ${s.removed}`, `restored ${s.restored}`];
  if (s.back > 0) counts.push(`re-mapped by their devices ${s.back}`);
  if (s.notRestored > 0) counts.push(`not restored ${s.notRestored}`);
  if (s.skipped > 0) counts.push(`skipped ${s.skipped}`);
  if (s.failed > 0) counts.push(`failed ${s.failed}`);
  const lines = [`Cleanup on ${router}: ${counts.join(' · ')} (${s.strategy}, ${(s.durationMs / 1000).toFixed(1)} s)`];
  for (const g of s.groups) {
    lines.push(`  ${g.outcome} (${g.count}): ${g.reason}`);
    if (g.action) lines.push(`      ${g.action}`);
  }
  for (const k of s.kept) if (k.result === 'not-restored') lines.push(`  ${k.id}: ${ownerAction(who(k))}`);
  return lines.join('\n');
}
