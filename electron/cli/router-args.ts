/**
 * Options every router subcommand (setup, diagnose, audit) shares: --router HOST[:PORT], --user,
 * --transport/--fingerprint, --timeout, --json; the password from PORTPILOT_PASSWORD only (a flag would end up
 * in shell history and `ps`). Runs the body on a live RouterSession and maps failures to exit codes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RouterPort } from '../core/router-port';
import { EXIT, UsageError, type CliIO } from './command';
import { connectRouter, parseRouterAddress } from './session-port';

export interface RouterArgs {
  router: string;
  user: string;
  json: boolean;
  transport: 'api' | 'api-ssl';
  fingerprint?: string;
  /** --timeout: connect (TCP, TLS, login, probe) and each command, in seconds. */
  timeoutSeconds?: number;
}

/** The usage line of --timeout, for each command's USAGE. */
export const TIMEOUT_USAGE =
  '  --timeout SECONDS      give up connecting, and any single command, after this long (default 10 / 60)';

/** `--timeout` → seconds; absent → undefined. */
export function parseTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0 || n > 3600)
    throw new UsageError(`--timeout must be a number of seconds from 0.1 to 3600, got “${String(value)}”`);
  return n;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const ROUTER_OPTIONS: Options = {
  router: { type: 'string' },
  user: { type: 'string' },
  json: { type: 'boolean' },
  transport: { type: 'string' },
  fingerprint: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export function parseRouterArgs(
  argv: string[],
  extra: Options,
): { base: RouterArgs; values: Record<string, unknown> } | 'help' {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { ...ROUTER_OPTIONS, ...extra },
    }));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(
      /--password/.test(msg) ? 'There is no --password flag: put the password in PORTPILOT_PASSWORD.' : msg,
    );
  }
  if (values['help']) return 'help';
  if (typeof values['router'] !== 'string') throw new UsageError('--router HOST[:PORT] is required');
  if (typeof values['user'] !== 'string') throw new UsageError('--user is required');
  const transport = (values['transport'] as string | undefined) ?? 'api';
  if (transport !== 'api' && transport !== 'api-ssl') throw new UsageError('--transport must be api or api-ssl');
  const fingerprint = values['fingerprint'] as string | undefined;
  const timeoutSeconds = parseTimeout(values['timeout']);
  return {
    base: {
      router: values['router'],
      user: values['user'],
      json: !!values['json'],
      transport,
      ...(fingerprint ? { fingerprint } : {}),
      ...(timeoutSeconds ? { timeoutSeconds } : {}),
    },
    values,
  };
}

/** Connects, runs `body`, closes; bad arguments → 2, unreachable router or a failing body → 1. */
export async function withRouter(
  args: RouterArgs,
  io: CliIO,
  usage: string,
  body: (router: RouterPort) => Promise<number>,
): Promise<number> {
  let address;
  try {
    address = parseRouterAddress(args.router, args.transport);
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return EXIT.badArgs;
  }
  let link;
  try {
    link = await connectRouter({
      address,
      user: args.user,
      password: io.env['PORTPILOT_PASSWORD'] ?? '',
      transport: args.transport,
      ...(args.fingerprint ? { fingerprint: args.fingerprint } : {}),
      ...(args.timeoutSeconds ? { timeoutMs: args.timeoutSeconds * 1000 } : {}),
    });
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return EXIT.failed;
  }
  try {
    return await body(link.router);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return EXIT.failed;
  } finally {
    await link.close().catch(() => {});
  }
}
