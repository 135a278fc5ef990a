// The lab must leave nothing behind: not after teardown, not when the process crashes or is
// signalled, and a SIGKILLed run's leftovers are swept by the next run.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive, createLab, labUnavailableReason, sweepStaleLabs } from './lab';

const unavailable = labUnavailableReason();
if (unavailable) console.warn(`SKIPPED interop lab: ${unavailable}`);

const namespaces = (): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '');

interface Started {
  ns: Record<string, string>;
  pid: number;
  workDir: string;
}

function crashChild(
  how: 'throw' | 'wait',
  signal?: NodeJS.Signals,
): Promise<{ started: Started; code: number | null }> {
  const fixture = fileURLToPath(new URL('./lab-crash-fixture.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, how], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (signal && out.includes('\n')) child.kill(signal);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        resolve({ started: JSON.parse(out.split('\n')[0] ?? '') as Started, code });
      } catch {
        reject(new Error(`fixture printed no lab: ${out}`));
      }
    });
  });
}

describe.skipIf(unavailable !== null)('interop lab lifecycle', () => {
  it('teardown kills miniupnpd by PID and deletes every namespace and the work dir', async () => {
    const lab = await createLab({ wan: 'public', igdV1: false });
    expect(alive(lab.miniupnpdPid)).toBe(true);
    expect(namespaces()).toEqual(expect.arrayContaining(Object.values(lab.ns)));
    expect(() => lab.exec('not-a-lab-ns', ['true'])).toThrow(/not a namespace of this lab/);
    lab.teardown();
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(lab.miniupnpdPid)).toBe(false);
    expect(namespaces().filter((n) => Object.values(lab.ns).includes(n))).toEqual([]);
    expect(existsSync(lab.workDir)).toBe(false);
  });

  it.each([
    ['an uncaught exception', 'throw', undefined],
    ['SIGTERM', 'wait', 'SIGTERM'],
    ['SIGINT', 'wait', 'SIGINT'],
  ] as const)('cleans up when the process dies of %s', async (_label, how, signal) => {
    const { started, code } = await crashChild(how, signal);
    expect(code).not.toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(started.pid)).toBe(false);
    expect(namespaces().filter((n) => Object.values(started.ns).includes(n))).toEqual([]);
    expect(existsSync(started.workDir)).toBe(false);
  });

  it("sweeps a SIGKILLed run's leftovers, but not a live run's lab", async () => {
    const live = await createLab({ wan: 'public', igdV1: false });
    try {
      const { started } = await crashChild('wait', 'SIGKILL');
      expect(namespaces()).toEqual(expect.arrayContaining(Object.values(started.ns))); // no hook ran
      const swept = sweepStaleLabs();
      expect(swept.sort()).toEqual(Object.values(started.ns).sort());
      expect(alive(started.pid)).toBe(false);
      expect(namespaces()).toEqual(expect.arrayContaining(Object.values(live.ns)));
    } finally {
      live.teardown();
    }
  });
});
