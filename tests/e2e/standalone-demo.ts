import { spawnDemoRouter } from '../support/demo-child';

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
export function standaloneDemo(args: string[]): Promise<StandaloneDemo> {
  return spawnDemoRouter('electron/demo-router/cli.ts', [
    '--host',
    '127.0.0.2',
    '--igd-port',
    '2828',
    '--natpmp-port',
    '0',
    '--password',
    'pw',
    ...args,
  ]);
}
