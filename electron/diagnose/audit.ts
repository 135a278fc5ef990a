/**
 * The security audit: the guide's risk table ("Any LAN host can open ports", "No authentication",
 * "Difficult to audit", "Privileged ports") and its mitigations, as findings with a severity, a fix
 * plan where PortPilot can mitigate, and a 0-100 score whose every deducted point has a reason.
 */
import { composeRules, highPortsPreset, ruleFromRow, type PermissionRule } from '../config/permissions';
import { makePlan, permissionSteps } from '../config/plan';
import { FILTER_MENU, isManaged } from '../config/protection';
import { internetEvidence, looksGuest, natPmpEnabledSteps, roleSteps, settingsSteps } from '../config/roles';
import { isTrue, type RouterPort } from '../core/router-port';
import { step } from '../plans';
import type { AuditId, AuditReport, ScoreReason, Severity } from '../../shared/domains/diagnose';
import { internalNames, readContext, type DiagnoseContext } from './context';
import { listDevices } from './devices';
import { permissionFromFilter, ruleSet } from './port-rules';
import { suggestionsFor, type SuggestionResult } from './advice';
import { result, type CheckResult } from './types';
import { plural } from '../../shared/words';

type AuditResult = CheckResult<AuditId> & { severity: Severity };
const sev = (r: CheckResult<AuditId>, severity: Severity): AuditResult => ({ ...r, severity });

function currentRules(ctx: DiagnoseContext): PermissionRule[] {
  return ctx.s.permissions
    ? ctx.s.permissions.map(ruleFromRow)
    : ctx.s.filter.filter((r) => isManaged(r) && r['chain'] === 'forward').map(permissionFromFilter);
}

function restrictPlan(ctx: DiagnoseContext, title: string) {
  if (!ctx.wan) return null;
  const base = [...currentRules(ctx), ...highPortsPreset(ctx.wan)];
  return makePlan(title, permissionSteps(ctx.s, composeRules({ pins: [], allows: [], base }), ctx.wan), ctx.s);
}

function allowDisable(ctx: DiagnoseContext): AuditResult {
  const on = ctx.s.upnp.allowDisableExternalInterface;
  return sev(
    result(
      'allow-disable-external-interface',
      'UPnP clients cannot disable the external interface',
      on ? 'fail' : 'pass',
      [`/ip upnp: allow-disable-external-interface=${on ? 'yes' : 'no'}`],
      on
        ? 'Any device on your network may switch off the router’s Internet side through UPnP. This should be off.'
        : 'Devices cannot switch off the router’s Internet side.',
      on
        ? makePlan(
            'Forbid disabling the external interface',
            settingsSteps(ctx.s, { ...ctx.s.upnp, allowDisableExternalInterface: false }),
            ctx.s,
          )
        : null,
    ),
    'high',
  );
}

function privilegedPorts(ctx: DiagnoseContext): AuditResult {
  const low = ctx.mappings.filter((m) => m.externalPort < 1024);
  return sev(
    result(
      'privileged-ports-open',
      'No live mapping on a port below 1024',
      low.length ? 'fail' : 'pass',
      low.length
        ? low.map((m) => `${m.source} ${m.protocol.toUpperCase()} ${m.externalPort} → ${m.address} “${m.description}”`)
        : [`${plural(ctx.mappings.length, 'live mapping')}, all on ports ≥ 1024`],
      low.length
        ? 'A device opened a well-known port (web, mail, SSH…) to the internet. Ports 0–1023 should be blocked at least. The fix restricts future requests; remove the open mapping on the Mappings screen.'
        : 'No well-known port is open through UPnP or NAT-PMP.',
      low.length ? restrictPlan(ctx, 'Block mapping of ports below 1024') : null,
    ),
    'high',
  );
}

function noRestrictions(ctx: DiagnoseContext): AuditResult {
  const set = ruleSet(ctx);
  const none = set.rules.length === 0;
  return sev(
    result(
      'no-port-restrictions',
      'Mappable ports are restricted',
      none ? 'fail' : 'pass',
      [set.source],
      none
        ? 'By default any LAN host can open any port. Restrict which ports may be mapped (block 0–1023 at least)' +
            (set.kind === 'firewall'
              ? '; this RouterOS has no permissions menu, so PortPilot adds firewall rules (comment “portpilot:”) instead.'
              : '.')
        : `${set.rules.length} restriction(s) in place.`,
      none ? restrictPlan(ctx, 'Restrict mappable ports (high ports only)') : null,
    ),
    'high',
  );
}

function untrustedInternal(ctx: DiagnoseContext): AuditResult {
  const bad = internalNames(ctx).flatMap((i) => {
    const internet = internetEvidence(ctx.s, i);
    if (internet.length) return [{ i, why: `faces the internet (${internet.join('; ')})`, high: true }];
    return looksGuest(ctx.s, i) ? [{ i, why: 'looks like a guest/IoT network', high: false }] : [];
  });
  const want = ctx.s.upnpInterfaces
    .filter((r) => !bad.some((b) => b.i === r.interface))
    .map((r) => ({ interface: r.interface, type: r.type }));
  return sev(
    result(
      'untrusted-internal',
      'Only trusted networks are internal',
      bad.length ? (bad.some((b) => b.high) ? 'fail' : 'warn') : 'pass',
      bad.length
        ? bad.map((b) => `${b.i} is internal and ${b.why}`)
        : [`internal: ${internalNames(ctx).join(', ') || 'none'}`],
      bad.length
        ? 'Every device on an internal interface can open ports with no authentication. Only trusted home-network interfaces belong on the internal side. Give guest/IoT devices that need mappings static forwards instead.'
        : 'Internal interfaces are LAN networks.',
      bad.length
        ? makePlan('Stop UPnP on untrusted networks', roleSteps('upnp', ctx.s.upnpInterfaces, want), ctx.s)
        : null,
    ),
    bad.some((b) => b.high) ? 'high' : 'medium',
  );
}

function unknownHosts(ctx: DiagnoseContext): AuditResult {
  const known = new Set(listDevices(ctx).map((d) => d.address));
  const strangers = ctx.mappings.filter((m) => !known.has(m.address));
  return sev(
    result(
      'unknown-host-mappings',
      'Every mapping belongs to a known device',
      strangers.length ? 'warn' : 'pass',
      strangers.length
        ? strangers.map(
            (m) =>
              `${m.protocol.toUpperCase()} ${m.externalPort} → ${m.address} “${m.description}”: no DHCP lease, no ARP entry`,
          )
        : [`${plural(ctx.mappings.length, 'mapping')}, all from devices with a DHCP lease or ARP entry`],
      strangers.length
        ? 'A mapping points to an address no known device has: a host with a static address nobody registered, or one that left. UPnP has no authentication; review and remove it on the Mappings screen.'
        : 'All mapping owners are known devices.',
    ),
    'medium',
  );
}

function natPmpUnneeded(ctx: DiagnoseContext): AuditResult {
  const on = ctx.s.natPmp?.enabled === true;
  const used = ctx.mappings.filter((m) => m.source === 'nat-pmp').length;
  const apple = listDevices(ctx).some((d) => d.online && /apple/i.test(d.vendor ?? ''));
  const bad = on && used === 0 && !apple;
  return sev(
    result(
      'natpmp-unneeded',
      'NAT-PMP is on only when used',
      bad ? 'warn' : 'pass',
      [
        ctx.s.natPmp
          ? `/ip nat-pmp: enabled=${on ? 'yes' : 'no'}; live NAT-PMP mappings: ${used}`
          : 'this router has no /ip nat-pmp',
      ],
      bad
        ? 'NAT-PMP is a second way to open ports; no device uses it now and no Apple device (the usual NAT-PMP clients) is online. Turn it off unless a game engine that prefers it needs it.'
        : 'Nothing to change.',
      bad ? makePlan('Turn NAT-PMP off', natPmpEnabledSteps(ctx.s, false), ctx.s) : null,
    ),
    'low',
  );
}

function auditLog(ctx: DiagnoseContext): AuditResult {
  const logs = ctx.s.filter.filter(
    (r) => r['chain'] === 'forward' && !isTrue(r['disabled']) && (r['action'] === 'log' || isTrue(r['log'])),
  );
  const first = ctx.s.filter.find((r) => r['chain'] === 'forward');
  const plan =
    !logs.length && ctx.wan
      ? makePlan(
          'Log connections through mappings',
          [
            step({
              id: 'audit-log',
              description: `Log new connections from ${ctx.wan} that reach a LAN host through a mapping (prefix UPNP-FWD)`,
              op: {
                verb: 'add',
                menu: FILTER_MENU,
                attrs: {
                  chain: 'forward',
                  action: 'log',
                  'connection-nat-state': 'dstnat',
                  'connection-state': 'new',
                  'in-interface': ctx.wan,
                  'log-prefix': 'UPNP-FWD ',
                  comment: 'log port-mapped connections (PortPilot audit)',
                },
                ...(first ? { before: { id: first['.id'] ?? '' } } : {}),
              },
            }),
          ],
          ctx.s,
        )
      : null;
  return sev(
    result(
      'no-audit-log',
      'Traffic through mappings is logged',
      logs.length ? 'pass' : 'warn',
      logs.length
        ? logs.map((r) => `forward log rule: ${r['log-prefix'] ?? ''} ${r['comment'] ?? ''}`.trim())
        : ['no forward-chain rule with action=log or log=yes'],
      logs.length
        ? 'Connections through mappings are logged.'
        : 'RouterOS keeps no log of UPnP requests; firewall log rules show what was reached through an opened port.',
      plan,
    ),
    'low',
  );
}

const WEIGHT: Record<Severity, number> = { high: 30, medium: 15, low: 5 };

export function score(findings: AuditResult[]): { score: number; reasons: ScoreReason[] } {
  const reasons = findings
    .filter((f) => f.status === 'fail' || f.status === 'warn')
    .map((f) => {
      const points = f.status === 'fail' ? WEIGHT[f.severity] : Math.ceil(WEIGHT[f.severity] / 2);
      return {
        id: f.id,
        points,
        // Words, not the check's id or the router's raw output (issue 13): the finding's title says what
        // should hold; the evidence stays with the finding.
        reason: `−${points} (${f.severity} risk${f.status === 'warn' ? ', counted half: a warning' : ''}): not so yet — “${f.title}”`,
      };
    });
  return { score: Math.max(0, 100 - reasons.reduce((n, r) => n + r.points, 0)), reasons };
}

export interface AuditResultSet {
  findings: AuditResult[];
  score: number;
  reasons: ScoreReason[];
  suggestions: SuggestionResult[];
  upnpEnabled: boolean;
}

export async function runAudit(router: RouterPort): Promise<AuditResultSet> {
  const ctx = await readContext(router);
  const findings = [
    allowDisable(ctx),
    privilegedPorts(ctx),
    noRestrictions(ctx),
    untrustedInternal(ctx),
    unknownHosts(ctx),
    natPmpUnneeded(ctx),
    auditLog(ctx),
  ];
  return { findings, ...score(findings), suggestions: suggestionsFor(ctx), upnpEnabled: ctx.s.upnp.enabled };
}

export type { AuditReport };
