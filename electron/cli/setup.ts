/**
 * `setup --router HOST[:PORT] --user U [--preset recommended] [--apply] [--json]`: the guide's
 * "typical home deployment" on the router, as a plan. Without --apply the plan is printed as a
 * RouterOS script; with --apply it is applied (rollback on failure) and the report is printed.
 * The password comes from PORTPILOT_PASSWORD only (a flag would end up in shell history and `ps`).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readSnapshot } from '../config/snapshot';
import { buildSetupPlan, recommendedChoices } from '../config/wizard/setup';
import type { RouterLink } from '../core/router-link';
import { readOnlyReason } from '../core/write-access';
import {
  applyPlan,
  fileJournalStore,
  JournalError,
  renderScript,
  resumeJournal,
  rollbackJournal,
  type ApplyReport,
  type JournalStore,
  type ProgressEvent,
} from '../plans';
import { ValidationError } from '../plans/validate';
import { CLI_JOURNAL_FILE } from '../storage';
import { commandLine, EXIT, UsageError, type CliCommand, type CliIO } from './command';
import { parseRouterArgs, TIMEOUT_USAGE, withRouter, type RouterArgs } from './router-args';

const USAGE = `Usage: npm run cli -- setup --router HOST[:PORT] --user USER [options]
  --preset recommended   the recommended home setup (the default and only preset)
  --apply                apply the plan (without it the plan is printed as a RouterOS script)
  --rollback             undo the last change recorded in the journal
  --resume               finish a change that a lost connection interrupted
  --json                 machine-readable output
  --transport api|api-ssl  (default api; API-SSL pins --fingerprint SHA256 or "anonymous")
${TIMEOUT_USAGE}
  --journal FILE         where the apply journal is kept (default ~/.local/state/portpilot/cli-journal.json)
The password is read from the PORTPILOT_PASSWORD environment variable (empty if unset).
Exit codes: 0 ok, 1 a step failed (after rollback) or the router could not be reached, 2 bad arguments.`;

interface SetupArgs extends RouterArgs {
  apply: boolean;
  rollback: boolean;
  resume: boolean;
  journal: string;
}

export function parseSetupArgs(argv: string[], env: CliIO['env']): SetupArgs {
  const { base, values } = parseRouterArgs(argv, {
    preset: { type: 'string' },
    apply: { type: 'boolean' },
    rollback: { type: 'boolean' },
    resume: { type: 'boolean' },
    journal: { type: 'string' },
  });
  if (values.preset !== undefined && values.preset !== 'recommended')
    throw new UsageError(`--preset: unknown preset “${values.preset}” (use recommended)`);
  if ([values.apply, values.rollback, values.resume].filter(Boolean).length > 1)
    throw new UsageError('use only one of --apply, --rollback, --resume');
  const stateHome = env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return {
    ...base,
    apply: !!values.apply,
    rollback: !!values.rollback,
    resume: !!values.resume,
    journal: values.journal ?? join(stateHome, 'portpilot', CLI_JOURNAL_FILE),
  };
}

const MARK: Record<string, string> = {
  applied: '✓',
  'already-done': '=',
  failed: '✗',
  'not-run': '·',
  'rolled-back': '↺',
  'rollback-failed': '!',
  unknown: '?',
};

export function formatReport(r: ApplyReport): string {
  const lines = r.steps.map(
    (s, i) => `  ${MARK[s.result] ?? ' '} ${i + 1}. ${s.description} [${s.result}]${s.error ? ` — ${s.error}` : ''}`,
  );
  lines.unshift(`${r.title}: ${r.outcome}`);
  lines.push(
    `applied: ${r.applied.length}, already done: ${r.alreadyDone.length}, rolled back: ${r.rolledBack.length}, not rolled back: ${r.notRolledBack.length}`,
  );
  if (r.failure) lines.push(`failed at ${r.failure.stepId}: ${r.failure.message}`);
  if (r.interrupted)
    lines.push(
      `interrupted at ${r.interrupted.stepId}: ${r.interrupted.message}`,
      'Run again with --rollback or --resume once the router is reachable.',
    );
  return lines.join('\n');
}

/** Success is what was asked for: applied (or nothing to do), or — for --rollback — undone. */
const exitFor = (r: ApplyReport, asked: 'apply' | 'rollback'): number => {
  const ok =
    r.outcome === 'nothing-to-do' ||
    (asked === 'apply' ? r.outcome === 'applied' : r.outcome === 'rolled-back' && !r.failure);
  return ok ? EXIT.ok : EXIT.failed;
};

/** A journal is only replayed on the router it was written for (older journals name no router). */
async function otherRouter(store: JournalStore, router: RouterLink): Promise<string | null> {
  const j = await store.load();
  if (!j?.routerKey || j.routerKey === router.dataKey) return null;
  return `The journal's change was made on ${j.target}, not on ${router.label}: connect to that router to roll it back or resume it.`;
}

async function runSetup(args: SetupArgs, router: RouterLink, store: JournalStore, io: CliIO): Promise<number> {
  const print = (report: ApplyReport, asked: 'apply' | 'rollback' = 'apply') => {
    io.out(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return exitFor(report, asked);
  };
  const progress = args.json
    ? undefined
    : (e: ProgressEvent) => io.err(`[${e.index + 1}/${e.total}] ${e.phase} ${e.stepId}`);
  const opts = { journal: store, target: router.label, routerKey: router.dataKey, onProgress: progress };
  // A read-only login is told now, not by a trap halfway through (issue 18).
  const action = args.rollback ? 'Rolling back' : args.resume ? 'Resuming' : args.apply ? 'Applying the setup' : null;
  const readOnly = action && readOnlyReason(router.capabilities, action);
  if (readOnly) {
    io.err(readOnly);
    return EXIT.failed;
  }
  if (args.rollback || args.resume) {
    const elsewhere = await otherRouter(store, router);
    if (elsewhere) return (io.err(elsewhere), EXIT.failed);
    const journaled = args.rollback ? rollbackJournal(router, store, opts) : resumeJournal(router, store, opts);
    const report = await journaled.catch((err: unknown) => {
      if (err instanceof JournalError) return err;
      throw err;
    });
    if (report instanceof JournalError) return (io.err(`Nothing to do: ${report.message}.`), EXIT.failed);
    return print(report, args.rollback ? 'rollback' : 'apply');
  }
  const pending = await store.load();
  if (args.apply && (pending?.status === 'interrupted' || pending?.status === 'applying')) {
    io.err(
      `An earlier change (“${pending.plan.title}”, ${pending.startedAt}) was interrupted. Run with --rollback or --resume first.`,
    );
    return EXIT.failed;
  }
  const snapshot = await readSnapshot(router);
  const choices = recommendedChoices(snapshot);
  if (!choices.external || choices.internal.length === 0) {
    io.err(
      'Could not tell the LAN and WAN interfaces apart (no DHCP server on a LAN bridge, or no default route). Use the app’s setup wizard to choose them.',
    );
    return EXIT.failed;
  }
  const plan = buildSetupPlan(snapshot, choices);
  if (!args.apply) {
    const script = renderScript(plan, { router: router.label });
    io.out(args.json ? JSON.stringify({ plan, script }, null, 2) : script);
    return EXIT.ok;
  }
  return print(await applyPlan(router, plan, opts));
}

export const setupCommand: CliCommand = {
  name: 'setup',
  summary: 'plan (and with --apply, apply) the recommended UPnP setup',
  usage: USAGE,
  async run(argv, io) {
    const line = commandLine(argv, io, USAGE, (a) => parseSetupArgs(a, io.env));
    if ('exit' in line) return line.exit;
    const setup = line.args;
    // The shared connect/close/exit-code handling of every router subcommand (router-args.ts).
    return withRouter(setup, io, USAGE, async (router) => {
      try {
        return await runSetup(setup, router, fileJournalStore(setup.journal), io);
      } catch (err) {
        if (err instanceof ValidationError) throw new Error(`invalid input: ${err.message}`, { cause: err });
        throw err;
      }
    });
  },
};
