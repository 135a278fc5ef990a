/** What a CLI subcommand is: a name, a one-line summary, and a run function returning the exit code. */
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

/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, failed: 1, badArgs: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
