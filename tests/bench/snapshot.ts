/**
 * snapshot_10k_ms / snapshot_50k_ms (issue 14) as users get them: the built web host
 * `out/main/web.js` under plain node (the desktop main process's services bundle), the demo router
 * in its own process like a real router, and this process in the renderer's place on the WebSocket.
 * The clock runs from asking the backend to connect (which starts its mappings monitor) to the
 * moment the deltas parsed here hold the whole set — the renderer's first full table.
 */
import { performance } from 'node:perf_hooks';
import type { MappingsDelta } from '../../shared/domains/mappings';
import { cpuMs, saveBenchProfile, startAppProcess } from './app-process';
import { sleep } from './figures';
import type { DemoProcess } from './demo-process';

export interface SnapshotRun {
  /** `router.connect` asked → every row held on this side of the WebSocket. */
  ms: number;
  /** The app process's CPU time over the same span (/proc, 10 ms ticks). */
  appCpuMs: number;
  count: number;
}

/** One snapshot of a fresh app process connected to `demo`; `count` = the mappings the demo holds. */
export async function appSnapshot(demo: DemoProcess, count: number): Promise<SnapshotRun> {
  const app = await startAppProcess();
  try {
    let whole: (rows: number) => void = () => {};
    const full = new Promise<number>((resolve) => (whole = resolve));
    // The rows stream in (a reset delta, then the rest as the monitor reads them): the clock stops
    // when this side holds them all, as the renderer's store would.
    const held = new Set<string>();
    app.on('mappings', 'onDelta', (payload) => {
      const d = payload as MappingsDelta;
      if (d.reset) held.clear();
      for (const v of d.added) held.add(v.id);
      for (const id of d.removed) held.delete(id);
      if (held.size >= count) whole(held.size);
    });
    const profileId = await saveBenchProfile(app, demo.apiPort);
    // A user clicks Connect after the page is up; meanwhile the app finishes starting (it reads the
    // vendor table in the background once its URL is out, ~30 ms of CPU). The clock is the snapshot's.
    await sleep(1000);
    const cpu0 = cpuMs(app.app.pid);
    const t0 = performance.now();
    await app.call('router', 'connect', { profileId, password: 'pw' });
    const rows = await full;
    const ms = performance.now() - t0;
    return { ms, appCpuMs: cpuMs(app.app.pid) - cpu0, count: rows };
  } finally {
    await app.close();
  }
}
