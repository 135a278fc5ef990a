// Test-side helper: runs run-client.ts inside a lab namespace and returns its parsed results.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Lab } from './lab';
import type { Step, StepResult } from './run-client';

const RUNNER = fileURLToPath(new URL('./run-client.ts', import.meta.url));

export interface ClientRun {
  results: StepResult[];
  /** Wall time of the whole child process, start to exit. */
  ms: number;
}

/** Spawns the client in `ns` (a namespace of `lab`) and resolves when it exits by itself. The
 *  child is killed after `timeoutMs`, which fails the run: a hang means a socket left open. */
export function runClient(lab: Lab, ns: string, steps: Step[], timeoutMs = 20_000): Promise<ClientRun> {
  if (!Object.values(lab.ns).includes(ns)) throw new Error(`${ns} is not a namespace of this lab`);
  const t0 = Date.now();
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', RUNNER, JSON.stringify(steps)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0)
        return reject(
          new Error(`client in ${ns} ended with ${code ?? signal} after ${Date.now() - t0} ms: ${err}${out}`),
        );
      try {
        resolve({ results: JSON.parse(out) as StepResult[], ms: Date.now() - t0 });
      } catch {
        reject(new Error(`client printed no JSON: ${out} ${err}`));
      }
    });
  });
}

/** The value of a step that must have succeeded. */
export function valueOf<T = unknown>(r: StepResult | undefined): T {
  if (!r) throw new Error('missing step result');
  if (!r.ok) throw new Error(`step ${r.op} failed: ${r.error.message}`);
  return r.value as T;
}

/** The error of a step that must have failed. */
export function errorOf(r: StepResult | undefined): Extract<StepResult, { ok: false }>['error'] {
  if (!r) throw new Error('missing step result');
  if (r.ok) throw new Error(`step ${r.op} unexpectedly succeeded with ${JSON.stringify(r.value)}`);
  return r.error;
}
