import type { ApplyReport } from '../../../../shared/domains/config';

/** A name for a saved script: `portpilot-setup-homerouter-2025-01-31.rsc` (never an empty part or "-.rsc"). */
export function scriptFileName(what: string, router: string | null, at: Date): string {
  const slug = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '');
  const day = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
  const parts = ['portpilot', slug(what) || 'change', router ? slug(router) : '', day].filter(Boolean);
  return `${parts.join('-')}.rsc`;
}

/** What happened, in words: steps are named by what they do, never by their internal id. */
export function outcomeText(r: ApplyReport): string {
  const step = (id: string | undefined) => {
    const s = r.steps.find((x) => x.id === id);
    return s ? `“${s.description}”` : 'a step';
  };
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  switch (r.outcome) {
    case 'applied':
      return `Applied ${n(r.applied.length, 'step')}${r.alreadyDone.length ? `; ${r.alreadyDone.length} already done` : ''}.`;
    case 'nothing-to-do':
      return 'Nothing changed: the router already had all of this.';
    case 'rolled-back':
      if (!r.failure)
        return `Undone: ${n(r.rolledBack.length, 'step')} rolled back, newest first. The router is as before.`;
      return `${step(r.failure.stepId)} failed (${r.failure.message}). ${
        r.rolledBack.length === 1
          ? 'The step already applied was rolled back'
          : `The ${r.rolledBack.length} steps already applied were rolled back`
      }: the router is as before.`;
    case 'rollback-incomplete':
      return `${step(r.failure?.stepId)} failed, and ${n(r.notRolledBack.length, 'step')} could NOT be rolled back: ${r.notRolledBack.map((x) => `${step(x.id)} (${x.error})`).join(', ')}.`;
    case 'interrupted':
      return `The connection was lost during ${step(r.interrupted?.stepId)}. ${n(r.applied.length, 'step')} had been applied. Reconnect, then roll back or finish the change.`;
  }
}
