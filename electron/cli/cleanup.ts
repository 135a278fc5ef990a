/**
 * `cleanup --router HOST[:PORT] --user U [--only owner-gone,idle,outside-subnet] [--apply] [--json]`:
 * the stale-mapping cleanup for a home server's cron (issue 11). Without --apply it prints the plan
 * (the targets, the strategy this router allows, what will be restored); with it, applies the plan and
 * prints the summary. A plan that would leave mappings unrestored runs only with --accept-loss.
 * `--json` after --apply: `{ strategy, removed: [...], restored: [...], failed: [...] }`.
 * Exit 0 when every target is gone and every kept mapping is present, 1 otherwise, 2 bad arguments.
 */
import type { StaleCode } from '../../shared/domains/mappings';
import { defaultConfigDir } from '../core/config-dir';
import type { RouterLink } from '../core/router-link';
import { memoryFileStore } from '../mappings/file-store';
import { createGatewayUrlResolver } from '../services/gateway-url';
import { igdActionsVia } from '../services/mappings/igd-actions';
import { createMappingsService } from '../services/mappings/mappings-service';
import { planJson, planText, summaryJson, summaryText, wentAsPlanned } from './cleanup-report';
import { commandLine, EXIT, UsageError, type CliCommand, type CliIO } from './command';
import { parseRouterArgs, TIMEOUT_USAGE, withRouter } from './router-args';
import { plural } from '../../shared/words';

const CODES: readonly StaleCode[] = ['owner-gone', 'idle', 'outside-subnet'];

const USAGE = `Usage: npm run -s cli -- cleanup --router HOST[:PORT] --user USER [options]
  --only CODES           only stale mappings for these reasons: ${CODES.join(',')} (default: all stale)
  --apply                carry out the plan (without it the plan is printed and nothing changes)
  --accept-loss          allow a plan that leaves mappings unrestored (this router will not restore them)
  --gateway-url URL      the router's UPnP IGD description (default: found by SSDP, then :2828/gateway.xml)
  --json                 machine-readable output
  --transport api|api-ssl  (default api; API-SSL pins --fingerprint SHA256 or "anonymous")
${TIMEOUT_USAGE}
The password is read from the PORTPILOT_PASSWORD environment variable (empty if unset).
What each router allowed is remembered in PortPilot's config folder, as in the app.
Exit codes: 0 every target gone and every kept mapping present, 1 otherwise, 2 bad arguments.`;

interface CleanupArgs {
  only: StaleCode[] | null;
  apply: boolean;
  acceptLoss: boolean;
  gatewayUrl: string | null;
}

export function parseCleanupArgs(values: Record<string, unknown>): CleanupArgs {
  let only: StaleCode[] | null = null;
  if (typeof values['only'] === 'string') {
    const codes = values['only'].split(',').map((c) => c.trim());
    const bad = codes.filter((c) => !CODES.includes(c as StaleCode));
    if (bad.length > 0 || codes.length === 0)
      throw new UsageError(`--only takes ${CODES.join(', ')} (comma-separated), not “${bad.join(',')}”`);
    only = codes as StaleCode[];
  }
  const gatewayUrl = typeof values['gateway-url'] === 'string' ? values['gateway-url'] : null;
  if (gatewayUrl !== null && !/^https?:\/\/[^\s]+$/.test(gatewayUrl))
    throw new UsageError(`--gateway-url must be an http(s) URL, not “${gatewayUrl}”`);
  return { only, apply: !!values['apply'], acceptLoss: !!values['accept-loss'], gatewayUrl };
}

async function gatewayUrlFor(router: RouterLink, given: string | null): Promise<string | null> {
  if (given) return given;
  const resolver = createGatewayUrlResolver();
  await resolver.routerChanged(router);
  return resolver.url();
}

async function cleanupOn(router: RouterLink, args: CleanupArgs, json: boolean, io: CliIO): Promise<number> {
  const url = await gatewayUrlFor(router, args.gatewayUrl);
  const mappings = createMappingsService({
    router: () => router,
    onRouterState: (listener) => (listener(router.state()), () => {}),
    emit: () => {},
    // The user's stale rules and what each router allowed come from the app's config folder; the
    // history (ages) is the app's to keep, so a cron run does not rewrite it.
    dataDir: defaultConfigDir(io.env),
    historyFiles: memoryFileStore(),
    igd: igdActionsVia(() => url),
  });
  try {
    await mappings.ready();
    const ctx = { transport: 'ipc' as const };
    const preview = await mappings.previewCleanup(undefined, ctx);
    const picked = preview.candidates.filter((c) => !args.only || c.reasons.some((r) => args.only?.includes(r.code)));
    const ids = picked.map((c) => c.mapping.id);
    const plan =
      ids.length === preview.candidates.length
        ? preview.plan
        : await mappings.planCleanup({ previewId: preview.previewId, ids }, ctx);
    if (!args.apply || ids.length === 0) {
      io.out(json ? JSON.stringify(planJson(plan, picked), null, 2) : planText(plan, picked, router.label, args.apply));
      return EXIT.ok;
    }
    if (plan.needsAcceptLoss && !args.acceptLoss) {
      io.out(json ? JSON.stringify(planJson(plan, picked), null, 2) : planText(plan, picked, router.label, false));
      io.err(
        `Not applied: ${plural(plan.loseCount, 'mapping')} would not be restored. Run again with --accept-loss to accept that.`,
      );
      return EXIT.failed;
    }
    const summary = await mappings.runCleanup(
      { previewId: preview.previewId, ids, confirm: { strategy: plan.strategy, acceptLoss: args.acceptLoss } },
      ctx,
    );
    io.out(json ? JSON.stringify(summaryJson(summary), null, 2) : summaryText(summary, router.label));
    return wentAsPlanned(summary) ? EXIT.ok : EXIT.failed;
  } finally {
    await mappings.dispose();
  }
}

const OPTIONS = {
  only: { type: 'string' },
  apply: { type: 'boolean' },
  'accept-loss': { type: 'boolean' },
  'gateway-url': { type: 'string' },
} as const;

export const cleanupCommand: CliCommand = {
  name: 'cleanup',
  summary: 'remove stale UPnP/NAT-PMP mappings: prints the plan, --apply carries it out',
  usage: USAGE,
  async run(argv, io) {
    const line = commandLine(argv, io, USAGE, (a) => {
      const parsed = parseRouterArgs(a, OPTIONS);
      return { base: parsed.base, args: parseCleanupArgs(parsed.values) };
    });
    if ('exit' in line) return line.exit;
    const { base, args } = line.args;
    return withRouter(base, io, USAGE, (router) => cleanupOn(router, args, base.json, io));
  },
};
