/**
 * Figures of the built app as users run it (issue 14): backend memory and idle CPU of the web host
 * bundle under plain node (the demo router in its own process, like a real router), and how long
 * `npm run serve` takes to print its URL when the build is current.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { MonitorStatus } from '../../shared/domains/mappings';
import { factsFromRule } from '../../electron/mappings/model';
import { connectSessionPort } from '../../electron/mappings/testing/session-port';
import { repoRoot, startApp } from '../e2e/web-host';
import { cpuMs, rssMb, saveBenchProfile, startAppProcess, type AppProcess } from './app-process';
import { startDemoProcess, type DemoProcess } from './demo-process';
import { figure, median, print, sleep } from './figures';

const IDLE_MS = 60_000;

async function connectToDemo(app: AppProcess, demo: DemoProcess, count: number): Promise<void> {
  let live: () => void = () => {};
  const ready = new Promise<void>((resolve) => (live = resolve));
  app.on('mappings', 'onStatus', (s) => {
    const st = s as MonitorStatus;
    if (st.phase === 'live' && st.count >= count) live();
  });
  const profileId = await saveBenchProfile(app, demo.apiPort);
  await app.call('router', 'connect', { profileId, password: 'pw' });
  await ready;
}

/** The bench process's own CPU while a 1 s print loop diffs the dynamic NAT rules (the alternative to listen). */
async function pollLoopCpu(demo: DemoProcess, ms: number): Promise<number> {
  const { port, session } = await connectSessionPort({
    host: '127.0.0.1',
    port: demo.apiPort,
    transport: 'api',
    user: 'admin',
    password: 'pw',
  });
  const known = new Map<string, string>();
  const start = process.cpuUsage();
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const rows = await port.print('/ip/firewall/nat', {
      query: ['?dynamic=true'],
      proplist: [
        '.id',
        'chain',
        'action',
        'protocol',
        'dst-port',
        'to-addresses',
        'to-ports',
        'comment',
        'dynamic',
        'bytes',
        'packets',
      ],
    });
    for (const r of rows) {
      const f = factsFromRule(r);
      if (f) known.set(f.id, f.counters);
    }
    await sleep(1000);
  }
  const used = process.cpuUsage(start);
  await session.close();
  return (used.user + used.system) / 1000;
}

/** `npm run build` when a source changed since the last build (scripts/build-if-stale.mjs). */
export function ensureBuilt(): void {
  const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-if-stale.mjs')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('the build failed: see above');
}

/** backend_rss_10k_mb, idle_cpu_10k_ms_per_min (+ the 1 s poll loop beside it, and watched). */
export async function appFigures(): Promise<void> {
  ensureBuilt();
  const demo = await startDemoProcess('routeros7', 'large');
  const app = await startAppProcess();
  try {
    await connectToDemo(app, demo, 10_000);
    await sleep(5000);
    const rss = rssMb(app.app.pid);
    print(
      figure(
        'backend_rss_10k_mb',
        rss,
        'MB',
        150,
        'out/main/web.js under plain node (the desktop main process’s services bundle), connected to the large demo router in its own process, 10,000+ mappings live, one WebSocket client receiving the deltas',
      ),
    );
    // Nobody watches the Mappings screen: the monitor listens and enriches at its slow pace. The
    // snapshot's garbage is collected in the first seconds after it; the figure is the steady state.
    await sleep(15_000);
    const cpu0 = cpuMs(app.app.pid);
    const [poll] = await Promise.all([pollLoopCpu(demo, IDLE_MS), sleep(IDLE_MS)]);
    const idle = cpuMs(app.app.pid) - cpu0;
    print(
      figure(
        'idle_cpu_10k_ms_per_min',
        idle,
        'ms',
        500,
        `app process CPU over 60 s idle (from 20 s after the snapshot), 10,000 mappings, the demo's simulated traffic pushing counter changes, Mappings screen not open; a 1 s poll loop (print + diff) used ${Math.round(poll)} ms in the same minute: ${(poll / Math.max(idle, 1)).toFixed(1)}× more`,
      ),
    );
    print(figure('idle_cpu_10k_poll_1s_ms_per_min', poll, 'ms', null, 'baseline: a 1 s print poll loop, same minute'));
    await app.call('mappings', 'watch', { visible: true });
    const cpu1 = cpuMs(app.app.pid);
    await sleep(IDLE_MS);
    print(
      figure(
        'idle_cpu_10k_watched_ms_per_min',
        cpuMs(app.app.pid) - cpu1,
        'ms',
        null,
        'same, with the Mappings screen open (watch visible: counters and owners at the configured pace)',
      ),
    );
  } finally {
    await app.close();
    await demo.stop();
  }
}

/** serve_ready_ms: `npm run serve` with the build current → the URL printed; several starts. */
export async function serveFigure(runs = 5): Promise<void> {
  ensureBuilt();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const app = await startApp('npm', ['run', '-s', 'serve']);
    times.push(performance.now() - t);
    await app.stop();
  }
  print(
    figure(
      'serve_ready_ms',
      median(times),
      'ms',
      1500,
      `median of ${runs} starts of \`npm run serve\` with the build current (build check + plain node + npm itself) → URL printed; min ${Math.round(Math.min(...times))} ms`,
    ),
  );
}
