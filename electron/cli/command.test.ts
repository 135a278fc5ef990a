import { describe, expect, it, vi } from 'vitest';
import { commandLine, EXIT, NO_PASSWORD_FLAG, parseFlags, UsageError, type CliIO } from './command';
import { COMMANDS, runCli } from './index';

const OPTIONS = {
  user: { type: 'string' },
  json: { type: 'boolean' },
  port: { type: 'string', default: '0' },
} as const;

function io(): CliIO & { outText: () => string; errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: {},
    outText: () => out.join('\n'),
    errText: () => err.join('\n'),
  };
}

const usageError = (argv: string[], refused = {}): string => {
  try {
    parseFlags(argv, OPTIONS, refused);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${JSON.stringify(argv)} parsed`);
};

describe('parseFlags', () => {
  it('gives typed values, defaults included', () => {
    const v = parseFlags(['--user', 'admin', '--json'], OPTIONS);
    expect(v).toEqual({ user: 'admin', json: true, port: '0' });
    expect(parseFlags(['--user=admin', '--port', '8728'], OPTIONS)).toEqual({ user: 'admin', port: '8728' });
  });

  it.each([
    [['--frobnicate'], 'unknown option --frobnicate'],
    [['-x'], 'unknown option -x'],
    [['--user'], '--user needs a value'],
    [['--user', '--json'], '--user needs a value'],
    [['--json=yes'], '--json takes no value'],
    [['stray'], 'unexpected argument "stray" (every option starts with --)'],
  ])('%j → one-line usage error "%s"', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });

  it('says what to do instead of a refused flag, with or without its value', () => {
    expect(usageError(['--user', 'a', '--password', 'x'], NO_PASSWORD_FLAG)).toMatch(/PORTPILOT_PASSWORD/);
    expect(usageError(['--password=x'], NO_PASSWORD_FLAG)).toMatch(/PORTPILOT_PASSWORD/);
    expect(usageError(['--password=x'])).toBe('unknown option --password');
  });

  it('accepts --help (the prelude answers it before parsing)', () => {
    expect(parseFlags(['--help'], OPTIONS)).toMatchObject({ help: true });
  });
});

describe('commandLine', () => {
  it('--help / -h: the usage on stdout, exit 0, without parsing (help wins over a bad flag)', () => {
    for (const argv of [['--help'], ['-h'], ['--frobnicate', '--help']]) {
      const t = io();
      const parse = vi.fn();
      expect(commandLine(argv, t, 'USAGE', parse)).toEqual({ exit: EXIT.ok });
      expect(parse).not.toHaveBeenCalled();
      expect(t.outText()).toBe('USAGE');
      expect(t.errText()).toBe('');
    }
  });

  it('a usage error: one line saying what is wrong, then the usage, on stderr; exit 2', () => {
    const t = io();
    const line = commandLine(['--frobnicate'], t, 'USAGE', (argv) => parseFlags(argv, OPTIONS));
    expect(line).toEqual({ exit: EXIT.badArgs });
    expect(t.outText()).toBe('');
    expect(t.errText()).toBe('usage error: unknown option --frobnicate\n\nUSAGE');
  });

  it('a check of the command itself (UsageError from parse) is a usage error too', () => {
    const t = io();
    const line = commandLine([], t, 'USAGE', () => {
      throw new UsageError('--router HOST[:PORT] is required');
    });
    expect(line).toEqual({ exit: EXIT.badArgs });
    expect(t.errText().split('\n')[0]).toBe('usage error: --router HOST[:PORT] is required');
  });

  it('passes the parsed arguments on, and lets any other error through', () => {
    expect(commandLine(['--user', 'a'], io(), 'USAGE', (argv) => parseFlags(argv, OPTIONS))).toEqual({
      args: { user: 'a', port: '0' },
    });
    expect(() =>
      commandLine([], io(), 'USAGE', () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });
});

describe('every cli subcommand goes through the prelude', () => {
  it.each(COMMANDS.map((c) => [c.name, c.usage]))('%s: --help → its usage, exit 0', async (name, usage) => {
    const t = io();
    expect(await runCli([name, '--help'], t)).toBe(EXIT.ok);
    expect(t.outText()).toBe(usage);
  });

  it.each(COMMANDS.map((c) => [c.name, c.usage]))(
    '%s: an unknown flag → usage error and usage on stderr, exit 2',
    async (name, usage) => {
      const t = io();
      expect(await runCli([name, '--frobnicate'], t)).toBe(EXIT.badArgs);
      expect(t.outText()).toBe('');
      expect(t.errText()).toBe(`usage error: unknown option --frobnicate\n\n${usage}`);
    },
  );

  // A flag of each command that takes a value.
  const valued: Record<string, string> = { 'nat-type': '--stun' };
  it.each(COMMANDS.map((c) => [c.name]))('%s: a flag without its value → exit 2', async (name) => {
    const flag = valued[name] ?? '--router';
    const t = io();
    expect(await runCli([name, flag], t)).toBe(EXIT.badArgs);
    expect(t.errText()).toMatch(new RegExp(`^usage error: ${flag} needs a value\n`));
  });
});
