// Real child processes (this Node binary running a one-line script): output, bounds, deadline, errors.
import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command';

const node = (script: string): [string, string[]] => [process.execPath, ['-e', script]];

describe('runCommand', () => {
  it('returns stdout; arguments reach the child as they are (no shell to interpret them)', async () => {
    const [file, args] = node('process.stdout.write(JSON.stringify(process.argv.slice(1)))');
    const out = await runCommand(file, [...args, '$(echo hi)', 'a b;c', '"q"']);
    expect(JSON.parse(out)).toEqual(['$(echo hi)', 'a b;c', '"q"']);
  });

  it('decodes bytes that are not UTF-8 as latin1 (a code page 850 "ä" is 0x84), or as UTF-8 when told', async () => {
    const [file, args] = node('process.stdout.write(Buffer.from([0x53, 0x74, 0x84, 0x6e]))');
    expect(await runCommand(file, args)).toBe('St\u0084n');
    const [f2, a2] = node('process.stdout.write("Verbindung ö")');
    expect(await runCommand(f2, a2, { encoding: 'utf8' })).toBe('Verbindung ö');
  });

  it('stops a child that prints too much', async () => {
    const [file, args] = node('process.stdout.write("x".repeat(100000))');
    await expect(runCommand(file, args, { maxBytes: 1000 })).rejects.toMatchObject({
      name: 'HostNetworkError',
      code: 'too-large',
    });
  });

  it('stops a child that does not finish', async () => {
    const [file, args] = node('setTimeout(() => {}, 60000)');
    await expect(runCommand(file, args, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('says when the command is missing or fails, with what it printed on stderr', async () => {
    await expect(runCommand('/nonexistent/route-print', [])).rejects.toMatchObject({
      code: 'command-failed',
      message: expect.stringContaining('not installed'),
    });
    const [file, args] = node('process.stderr.write("Zugriff verweigert"); process.exit(3)');
    await expect(runCommand(file, args)).rejects.toMatchObject({
      code: 'command-failed',
      message: expect.stringMatching(/failed \(3\): Zugriff verweigert$/),
    });
  });
});
