/** Runs the demo router in its own process, so the bench process holds only PortPilot's backend. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface DemoProcess {
  apiPort: number;
  rootDescriptionUrl: string;
  stop(): Promise<void>;
}

/**
 * `extra`: more arguments for the demo router's CLI (e.g. `--foreign-add allow`), or a number of
 * mappings > 10,000: the `large` scenario grown by tests/bench/demo-extra.ts (routeros7, no traffic).
 */
export async function startDemoProcess(
  profile: 'routeros7' | 'seed',
  scenario: string,
  extra: string[] | number = [],
): Promise<DemoProcess> {
  const args =
    typeof extra === 'number'
      ? ['tests/bench/demo-extra.ts', String(extra)]
      : [
          'electron/demo-router/cli.ts',
          '--profile',
          profile,
          '--scenario',
          scenario,
          '--password',
          'pw',
          '--natpmp-port',
          '0',
          '--api-ssl-port',
          '0',
          ...extra,
        ];
  // PP_DEMO_NODE_FLAGS adds node flags to the router's process (e.g. `--cpu-prof --cpu-prof-dir=…`).
  const flags = (process.env['PP_DEMO_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...flags, '--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()).length > 20_000 && (err = err.slice(-10_000)));
  const ready = await new Promise<{ apiPort: number; rootDescriptionUrl: string }>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"ready":true'));
      if (line) resolve(JSON.parse(line) as { apiPort: number; rootDescriptionUrl: string });
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
