/**
 * `npm run cli -- selftest [--gateway-url URL] [--natpmp-gateway IP] [--router HOST[:PORT] --user U] [--stun HOST[:PORT]] [--json]`
 * "Test from this PC" from a console (issue 6). The router password comes from PORTPILOT_PASSWORD, never
 * from a flag (flags end up in shell history and `ps`). Without --router the verify-on-router steps are
 * skipped with a warning. Exit code 0 when every required step passed, 1 when a check failed (double
 * NAT included), 2 on bad arguments, 130 when stopped by Ctrl-C (after removing the test mapping).
 * --stun adds the `inbound` step (issue 12): a STUN server answers through a mapped UDP port.
 * --json prints exactly one JSON object on stdout. Every socket is closed at the end, so the process
 * exits by itself.
 */
import { selfTestOptionsSchema, type SelfTestReport } from '../../shared/domains/selftest';
import { runSelfTest, type SelfTestOptions } from '../selftest/engine';
import { realSelfTestPorts } from '../selftest/real-ports';
import { formatStep } from '../selftest/report';
import { connectRouterLink, type RouterLink } from '../core/router-link';
import { commandLine, EXIT, NO_PASSWORD_FLAG, parseFlags, UsageError, type CliCommand, type CliIO } from './command';
import { parseStunServer } from '../stun/server-address';

export const SELFTEST_USAGE =
  'usage: cli selftest [--gateway-url URL] [--natpmp-gateway IP] [--port N] [--natpmp-port N] [--no-natpmp] [--adapter NAME] [--router HOST[:PORT] --user U] [--stun HOST[:PORT]] [--json]\n' +
  '       --port tests that external port (e.g. a game port) instead of a free high one\n' +
  '       --adapter searches only from that network adapter (e.g. "Ethernet", en0, wlp2s0)\n' +
  '       --stun adds the inbound step: a STUN server (RFC 5780, a third party) answers through a mapped UDP port\n' +
  '       the router password is read from the PORTPILOT_PASSWORD environment variable';

export interface SelftestArgs {
  options: SelfTestOptions;
  router: { host: string; port: number; user: string; password: string } | null;
  json: boolean;
}

function parseRouter(value: string): { host: string; port: number } {
  const m = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?$/.exec(value);
  const port = Number(m?.[2] ?? 8728);
  if (!m?.[1] || port < 1 || port > 65535)
    throw new UsageError(`--router must be HOST or HOST:PORT (API port, default 8728), got "${value}"`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

function parsePort(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
    throw new UsageError(`${flag} must be a port number 1-65535, got "${value}"`);
  return Number(value);
}

const OPTIONS = {
  'gateway-url': { type: 'string' },
  'natpmp-gateway': { type: 'string' },
  'natpmp-port': { type: 'string' },
  port: { type: 'string' },
  'no-natpmp': { type: 'boolean' },
  adapter: { type: 'string' },
  router: { type: 'string' },
  user: { type: 'string' },
  stun: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function parseStun(value: string | undefined): SelfTestOptions['stun'] {
  if (value === undefined) return undefined;
  try {
    return parseStunServer(value);
  } catch (e) {
    throw new UsageError(`--stun: ${(e as Error).message}`);
  }
}

export function parseSelftestArgs(argv: string[], env: CliIO['env']): SelftestArgs {
  const v = parseFlags(argv, OPTIONS, NO_PASSWORD_FLAG);
  const checked = selfTestOptionsSchema.safeParse({
    gatewayUrl: v['gateway-url'],
    natPmpGateway: v['natpmp-gateway'],
    adapter: v.adapter,
  });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const flags: Record<string, string> = {
      gatewayUrl: '--gateway-url',
      natPmpGateway: '--natpmp-gateway',
      adapter: '--adapter',
    };
    const flag = flags[String(issue?.path[0])] ?? '--natpmp-gateway';
    throw new UsageError(`${flag} ${issue?.message ?? 'is invalid'}`);
  }
  let router: SelftestArgs['router'] = null;
  if (v.router !== undefined) {
    if (!v.user) throw new UsageError('--router needs --user U (the RouterOS user name)');
    const password = env['PORTPILOT_PASSWORD'];
    if (password === undefined)
      throw new UsageError(
        '--router needs the password in PORTPILOT_PASSWORD (set it to an empty string for a user without one)',
      );
    router = { ...parseRouter(v.router), user: v.user, password };
  } else if (v.user !== undefined) throw new UsageError('--user only makes sense with --router');
  const options: SelfTestOptions = {
    ...checked.data,
    natPmpPort: parsePort('--natpmp-port', v['natpmp-port']),
    testPort: parsePort('--port', v.port),
    natPmp: v['no-natpmp'] ? false : undefined,
    stun: parseStun(v.stun),
    // The router's LAN address on this PC's subnet is the NAT-PMP gateway and the IGD host (issue 15).
    routerHost: router?.host,
  };
  return { options, router, json: v.json === true };
}

function summary(r: SelfTestReport): string {
  const lines = [''];
  for (const f of r.findings) lines.push(`[${f.severity.toUpperCase()}] ${f.id}: ${f.title}`, `       ${f.detail}`);
  lines.push(r.ok ? 'PASSED: automatic port mapping works from this PC.' : 'FAILED: see the steps and findings above.');
  return lines.join('\n');
}

function toJson(report: SelfTestReport): string {
  return JSON.stringify({
    ok: report.ok,
    runId: report.runId,
    steps: report.steps.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      detail: s.detail,
      evidence: s.evidence,
      ...(s.next ? { next: s.next } : {}),
    })),
    findings: report.findings,
  });
}

async function connect(a: SelftestArgs, io: CliIO): Promise<RouterLink | null> {
  if (!a.router) {
    if (!a.json) io.err('note: no --router given: the verify-on-router steps will be skipped');
    return null;
  }
  return connectRouterLink({ ...a.router, transport: 'api', connectTimeoutMs: 10_000 });
}

/** 128 + SIGINT, as shells report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

/** Ctrl-C (or SIGTERM) stops the test after its current step, then it removes the test mapping: a
 *  permanent RouterOS mapping left behind would stay forever. A second Ctrl-C exits at once. */
function stopOnSignal(io: CliIO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    io.err('stopping after the current step and removing the test mapping… (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Runs the command; resolves with the exit code. */
export async function runSelftest(argv: string[], io: CliIO): Promise<number> {
  const line = commandLine(argv, io, SELFTEST_USAGE, (a) => parseSelftestArgs(a, io.env));
  if ('exit' in line) return line.exit;
  const args = line.args;
  let link: Awaited<ReturnType<typeof connect>>;
  try {
    link = await connect(args, io);
  } catch (e) {
    const message = `cannot connect to the router ${args.router?.host ?? ''}: ${(e as Error).message}`;
    if (args.json) io.out(JSON.stringify({ ok: false, steps: [], findings: [], error: message }));
    else io.err(message);
    return EXIT.failed;
  }
  if (args.options.stun)
    io.err(
      `note: asking the STUN server ${args.options.stun.host}:${args.options.stun.port} (a third party; it sees this PC's public address)`,
    );
  const stop = stopOnSignal(io);
  try {
    const ports = realSelfTestPorts({ router: link });
    const report = await runSelfTest(
      ports,
      { ...args.options, signal: stop.signal },
      {
        onStep: (s) => {
          if (!args.json && s.status !== 'running') io.out(formatStep(s).join('\n'));
        },
      },
    );
    if (args.json) io.out(toJson(report));
    else io.out(summary(report));
    if (report.cancelled) return EXIT_INTERRUPTED;
    return report.ok ? EXIT.ok : EXIT.failed;
  } finally {
    stop.dispose();
    await link?.close().catch(() => undefined);
  }
}

export const selftestCommand: CliCommand = {
  name: 'selftest',
  summary: 'Test from this PC: prove UPnP IGD / NAT-PMP port mapping works end to end',
  usage: SELFTEST_USAGE,
  run: runSelftest,
};
