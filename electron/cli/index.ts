/**
 * `npm run cli -- <command> [options]`: PortPilot for power users and scripts. A small dispatcher;
 * each subcommand lives in its own file and is listed in COMMANDS (setup, selftest, diagnose, audit,
 * cleanup). Exit codes: 0 ok, 1 failed, 2 bad arguments.
 */
import { pathToFileURL } from 'node:url';
import { auditCommand } from './audit';
import { cleanupCommand } from './cleanup';
import { EXIT, processIO, type CliCommand, type CliIO } from './command';
import { diagnoseCommand } from './diagnose';
import { natTypeCommand } from './nat-type';
import { selftestCommand } from './selftest';
import { setupCommand } from './setup';

export const COMMANDS: CliCommand[] = [
  setupCommand,
  selftestCommand,
  diagnoseCommand,
  auditCommand,
  natTypeCommand,
  cleanupCommand,
];

export function helpText(): string {
  const lines = ['Usage: npm run cli -- <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `npm run cli -- <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name ? EXIT.ok : EXIT.badArgs;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command “${name}”.\n\n${helpText()}`);
    return EXIT.badArgs;
  }
  return command.run(rest, io);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCli(process.argv.slice(2), processIO).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
