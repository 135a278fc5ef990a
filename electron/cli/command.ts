/**
 * What a CLI command is (a name, a one-line summary, a run function returning the exit code), and the
 * one prelude every command line goes through: flags parsed with `node:util` parseArgs, `--help` →
 * usage on stdout and exit 0, anything wrong → one `usage error: …` line plus the usage on stderr and
 * exit 2. Used by the `cli` subcommands, the standalone demo router and `npm run serve`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** The real process's streams and environment (tests pass their own CliIO). */
export const processIO: CliIO = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  env: process.env,
};

/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, failed: 1, badArgs: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** The typed values parseArgs gives for `O` (strict, no positionals). */
export type FlagValues<O extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>['values'];

/** Flags that do not exist on purpose, with what to do instead (a password flag lands in shell history and `ps`). */
export type RefusedFlags = Readonly<Record<string, string>>;

export const NO_PASSWORD_FLAG: RefusedFlags = {
  password:
    'there is no --password flag: put the router password in the PORTPILOT_PASSWORD environment variable (a flag would end up in shell history and ps)',
};

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** The first thing wrong with the command line, in one line; null when it parses. */
function problemOf(tokens: Token[], options: FlagOptions, refused: RefusedFlags): string | null {
  for (const t of tokens) {
    if (t.kind === 'positional') return `unexpected argument "${t.value}" (every option starts with --)`;
    if (t.kind !== 'option') continue;
    const refusal = refused[t.name];
    if (refusal !== undefined) return refusal;
    const option = options[t.name];
    if (!option) return `unknown option ${t.rawName}`;
    if (option.type === 'boolean' && t.value !== undefined) return `${t.rawName} takes no value`;
    // Without `=`, a string option followed by another option has no value (parseArgs calls it "ambiguous").
    if (option.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))))
      return `${t.rawName} needs a value`;
  }
  return null;
}

function looseTokens(argv: string[], options: FlagOptions): Token[] {
  return parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true }).tokens;
}

/** True when the command line asks for help (`--help` / `-h` anywhere): help wins over a bad flag. */
export function wantsHelp(argv: string[]): boolean {
  return looseTokens(argv, HELP).some((t) => t.kind === 'option' && t.name === 'help');
}

/**
 * Parses `argv` against `options` (plus `--help`), strictly: an unknown or refused flag, a missing value,
 * a value given to a switch or a positional argument throws a UsageError with a one-line message.
 */
export function parseFlags<const O extends FlagOptions>(
  argv: string[],
  options: O,
  refused: RefusedFlags = {},
): FlagValues<O> {
  const all = { ...options, ...HELP };
  const problem = problemOf(looseTokens(argv, all), all, refused);
  if (problem) throw new UsageError(problem);
  try {
    return parseArgs({ args: argv, options: all, strict: true, allowPositionals: false }).values as FlagValues<O>;
  } catch (err) {
    // problemOf covers what parseArgs refuses; this keeps a future parseArgs rule a usage error too.
    throw new UsageError((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'bad arguments');
  }
}

/** Prints a usage error the way every command does: one line saying what is wrong, then the usage. */
export function printUsageError(io: Pick<CliIO, 'err'>, message: string, usage: string): number {
  io.err(`usage error: ${message}\n\n${usage}`);
  return EXIT.badArgs;
}

/**
 * The parse-or-usage prelude: `--help` prints the usage on stdout (exit 0); a UsageError from `parse`
 * prints a usage error on stderr (exit 2); otherwise the command runs with the parsed arguments.
 * `parse` usually is `(argv) => build(parseFlags(argv, OPTIONS))`.
 */
export function commandLine<T>(
  argv: string[],
  io: Pick<CliIO, 'out' | 'err'>,
  usage: string,
  parse: (argv: string[]) => T,
): { args: T } | { exit: number } {
  if (wantsHelp(argv)) {
    io.out(usage);
    return { exit: EXIT.ok };
  }
  try {
    return { args: parse(argv) };
  } catch (err) {
    if (err instanceof UsageError) return { exit: printUsageError(io, err.message, usage) };
    throw err;
  }
}
