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

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a node script run in a lab namespace ended: its exit, output and wall time. */
export interface NamespaceRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  ms: number;
}

/**
 * Runs `node --import tsx <argv>` inside namespace `ns` of `lab` (from the repository root, with an
 * empty PORTPILOT_PASSWORD) and resolves when it exits by itself. It is killed after `timeoutMs`, which
 * the caller sees as a signal: a hang means a socket left open.
 */
export function nodeInNamespace(lab: Lab, ns: string, argv: string[], timeoutMs: number): Promise<NamespaceRun> {
  if (!Object.values(lab.ns).includes(ns)) throw new Error(`${ns} is not a namespace of this lab`);
  const t0 = Date.now();
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', ...argv], {
    cwd: ROOT,
    env: { ...process.env, PORTPILOT_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err, ms: Date.now() - t0 });
    });
  });
}

/** Runs run-client.ts with `steps` in `ns`; rejects unless it exits 0 with its JSON results. */
export async function runClient(lab: Lab, ns: string, steps: Step[], timeoutMs = 20_000): Promise<ClientRun> {
  const { code, signal, out, err, ms } = await nodeInNamespace(lab, ns, [RUNNER, JSON.stringify(steps)], timeoutMs);
  if (code !== 0) throw new Error(`client in ${ns} ended with ${code ?? signal} after ${ms} ms: ${err}${out}`);
  try {
    return { results: JSON.parse(out) as StepResult[], ms };
  } catch {
    throw new Error(`client printed no JSON: ${out} ${err}`);
  }
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
