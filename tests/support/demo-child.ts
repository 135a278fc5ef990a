/** The demo router in a child process (e2e, bench), started from its CLI and stopped with SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The CLI's ready line (electron/demo-router/cli.ts): every endpoint it listens on. */
export interface DemoReady {
  apiPort: number;
  apiSslPort: number;
  rootDescriptionUrl: string;
}

/**
 * Runs `script` (the demo CLI, or a script that builds on it) under tsx with `args`; resolves with its
 * ready line, or rejects with the tail of its stderr when it exits first. `nodeFlags` go to node.
 */
export async function spawnDemoRouter(
  script: string,
  args: string[],
  nodeFlags: string[] = [],
): Promise<DemoReady & { stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  const ready = await new Promise<DemoReady>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"ready":true'));
      if (line) resolve(JSON.parse(line) as DemoReady);
    });
    child.once('exit', (code) => reject(new Error(`demo router exited ${code}: ${err}`)));
  });
  return {
    ...ready,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
