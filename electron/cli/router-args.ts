/**
 * Options every router subcommand (setup, diagnose, audit) shares: --router HOST[:PORT], --user,
 * --transport/--fingerprint, --timeout, --json; the password from PORTPILOT_PASSWORD only (a flag would end up
 * in shell history and `ps`). Runs the body on a live RouterSession and maps failures to exit codes.
 */
import type { RouterLink } from '../core/router-link';
import {
  EXIT,
  NO_PASSWORD_FLAG,
  parseFlags,
  printUsageError,
  UsageError,
  type CliIO,
  type FlagOptions,
  type FlagValues,
} from './command';
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

export const ROUTER_OPTIONS = {
  router: { type: 'string' },
  user: { type: 'string' },
  json: { type: 'boolean' },
  transport: { type: 'string' },
  fingerprint: { type: 'string' },
  timeout: { type: 'string' },
} as const satisfies FlagOptions;

/**
 * Parses a router subcommand's flags (the shared ones plus `extra`): the shared ones checked into
 * `base`, every flag's value typed in `values`. Throws UsageError (see command.ts).
 */
export function parseRouterArgs<const O extends FlagOptions>(
  argv: string[],
  extra: O,
): { base: RouterArgs; values: FlagValues<typeof ROUTER_OPTIONS & O> } {
  const values = parseFlags(argv, { ...ROUTER_OPTIONS, ...extra }, NO_PASSWORD_FLAG);
  const v = values as FlagValues<typeof ROUTER_OPTIONS>;
  if (v.router === undefined) throw new UsageError('--router HOST[:PORT] is required');
  if (v.user === undefined) throw new UsageError('--user is required');
  const transport = v.transport ?? 'api';
  if (transport !== 'api' && transport !== 'api-ssl') throw new UsageError('--transport must be api or api-ssl');
  const timeoutSeconds = parseTimeout(v.timeout);
  return {
    base: {
      router: v.router,
      user: v.user,
      json: !!v.json,
      transport,
      ...(v.fingerprint ? { fingerprint: v.fingerprint } : {}),
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
  body: (router: RouterLink) => Promise<number>,
): Promise<number> {
  let address;
  try {
    address = parseRouterAddress(args.router, args.transport);
  } catch (err) {
    return printUsageError(io, err instanceof Error ? err.message : String(err), usage);
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
    return await body(link);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return EXIT.failed;
  } finally {
    await link.close().catch(() => {});
  }
}
