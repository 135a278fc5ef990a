/**
 * RouterOS CLI text for steps and whole plans: what the preview shows and what `.rsc` files hold.
 * Syntax per the MikroTik manual's "Scripting" page: menu paths with spaces, `name=value` with quotes
 * when the value has spaces or special characters, `[find k=v ...]` to select rows.
 */
import type { Find, Plan, StepOp } from './types';
import { plural } from '../../shared/words';

/** `/ip/upnp/interfaces` → `/ip upnp interfaces`. */
export const cliMenu = (menu: string): string => `/${menu.replace(/^\/+/, '').split('/').join(' ')}`;

export function cliValue(value: string): string {
  if (/^[A-Za-z0-9_.:*!/,-]+$/.test(value)) return value;
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

export const cliAttrs = (attrs: Record<string, string>): string =>
  Object.entries(attrs)
    .map(([k, v]) => `${k}=${cliValue(v)}`)
    .join(' ');

export function cliFind(find: Find): string {
  if (find.id) return find.id;
  return `[find ${cliAttrs(find.match ?? {})}]`.replace(' ]', ']');
}

/** The CLI line equivalent to an API operation. */
export function cliFor(op: StepOp): string {
  const menu = cliMenu(op.menu);
  switch (op.verb) {
    case 'set':
      return `${menu} set ${op.find ? `${cliFind(op.find)} ` : ''}${cliAttrs(op.attrs)}`;
    case 'add': {
      const before = op.before ? ` place-before=${cliFind(op.before)}` : '';
      return `${menu} add ${cliAttrs(op.attrs)}${before}`;
    }
    case 'remove':
      return `${menu} remove ${cliFind(op.find)}`;
    case 'move':
      return `${menu} move ${cliFind(op.find)}${op.before ? ` destination=${cliFind(op.before)}` : ''}`;
  }
}

/** The plan as a RouterOS script: a header, then one commented block per step, flush warnings marked. */
export function renderScript(plan: Plan, opts: { router?: string; generatedAt?: string } = {}): string {
  const lines = [`# PortPilot change plan: ${plan.title}`];
  if (opts.router) lines.push(`# router: ${opts.router}`);
  if (opts.generatedAt) lines.push(`# generated: ${opts.generatedAt}`);
  for (const w of plan.warnings) lines.push(`# WARNING: ${w}`);
  for (const n of plan.notes ?? []) lines.push(`# note: ${n}`);
  if (plan.steps.length === 0) lines.push('# Nothing to do: the router already has this configuration.');
  plan.steps.forEach((step, i) => {
    lines.push('', `# ${i + 1}. ${step.description}`);
    if (step.restartsUpnp) lines.push(`# !! restarts UPnP: drops ${plural(plan.flush.upnp, 'live UPnP mapping')}`);
    if (step.restartsNatPmp)
      lines.push(`# !! restarts NAT-PMP: drops ${plural(plan.flush.natPmp, 'live NAT-PMP mapping')}`);
    lines.push(step.cli);
  });
  return `${lines.join('\n')}\n`;
}
