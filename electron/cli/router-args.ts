/**
 * Options every router subcommand (setup, diagnose, audit) shares: --router HOST[:PORT], --user,
 * --transport/--fingerprint, --json; the password from PORTPILOT_PASSWORD only (a flag would end up
 * in shell history and `ps`). Runs the body on a live RouterSession and maps failures to exit codes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RouterLink } from '../core/router-link';
import { EXIT, UsageError, type CliIO } from './command';
import { connectRouter, parseRouterAddress } from './session-port';

export interface RouterArgs {
  router: string;
  user: string;
  json: boolean;
  transport: 'api' | 'api-ssl';
  fingerprint?: string;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const ROUTER_OPTIONS: Options = {
  router: { type: 'string' },
  user: { type: 'string' },
  json: { type: 'boolean' },
  transport: { type: 'string' },
  fingerprint: { type: 'string' },
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
  return {
    base: {
      router: values['router'],
      user: values['user'],
      json: !!values['json'],
      transport,
      ...(fingerprint ? { fingerprint } : {}),
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
