import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { repoRoot } from './web-host';

export interface StandaloneDemo {
  apiPort: number;
  apiSslPort: number;
  stop(): Promise<void>;
}

/**
 * A standalone demo router on 127.0.0.2 (password `pw`) whose IGD sits where RouterOS keeps it
 * (:2828/gateway.xml); `args` adds the demo CLI's switches. Resolves with its ports once it printed
 * its ready line.
 */
export async function standaloneDemo(args: string[]): Promise<StandaloneDemo> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'electron/demo-router/cli.ts',
      '--host',
      '127.0.0.2',
      '--igd-port',
      '2828',
      '--natpmp-port',
      '0',
      '--password',
      'pw',
      ...args,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  const ready = await new Promise<{ apiPort: number; apiSslPort: number }>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"ready":true'));
      if (line) resolve(JSON.parse(line) as { apiPort: number; apiSslPort: number });
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
