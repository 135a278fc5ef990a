/**
 * Issue 18, "done when": against every attack of the hostile RouterOS API server, the real CLI process
 * (`cli audit`, default limits) ends on its own with exit code 1 and a one-line reason on stderr, with
 * a peak RSS under 400 MB. Nothing here kills the CLI except the hard bound that fails the test: a
 * timer or socket that outlived the failed link would keep the process alive and trip it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startHostileServer, type HostileMode } from '../router-session/testing/hostile-server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Writes the process's peak RSS (KiB) to fd 3 as it exits, however it exits. */
const MAX_RSS_HOOK =
  'data:text/javascript,import{writeSync}from"node:fs";' +
  'process.on("exit",()=>{try{writeSync(3,String(process.resourceUsage().maxRSS))}catch{}})';
/** Start-up (tsx) plus the 10 s connect timeout and some slack on a busy machine. */
const HARD_BOUND_MS = 45_000;

interface Run {
  code: number | null;
  stderr: string;
  maxRssBytes: number;
}

function runCli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', MAX_RSS_HOOK, 'electron/cli/index.ts', ...args],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, PORTPILOT_PASSWORD: 'pw' } },
    );
    let stderr = '';
    let rss = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (b: Buffer) => (rss += b.toString()));
    const bound = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI was still running after ${HARD_BOUND_MS} ms; stderr: ${stderr}`));
    }, HARD_BOUND_MS);
    child.once('close', (code) => {
      clearTimeout(bound);
      resolve({ code, stderr, maxRssBytes: Number(rss) * 1024 });
    });
  });
}

const EXPECT: Record<HostileMode, { reason: RegExp; args?: string[] }> = {
  'huge-word': { reason: /127\.0\.0\.1 sent a 520 MiB word \(the limit is 8 MiB\): not a RouterOS reply/ },
  // A generous deadline: what must stop this one is the reply limit, however busy the machine is.
  'endless-rows': {
    reason: /127\.0\.0\.1 sent more than 64 MiB or 1000000 rows in reply to /,
    args: ['--timeout', '35'],
  },
  'endless-sentence': { reason: /127\.0\.0\.1 sent a sentence of more than .* without ending it/ },
  silent: {
    reason: /did not answer in time \(logged in, but no answer to the capability probe within 2 s\)/,
    args: ['--timeout', '2'],
  },
  trickle: { reason: /did not answer in time/, args: ['--timeout', '2'] },
  'reserved-prefix': { reason: /127\.0\.0\.1 sent the reserved length byte 0xf8: not a RouterOS reply/ },
  fatal: { reason: /was closed \(The router ended the session: hostile router says goodbye\)/ },
  'close-mid-sentence': { reason: /The connection to 127\.0\.0\.1:\d+ was closed/ },
};

describe.concurrent('cli audit against a hostile router', () => {
  it.each(Object.entries(EXPECT) as Array<[HostileMode, (typeof EXPECT)[HostileMode]]>)(
    '%s: exit 1, one line on stderr, RSS under 400 MB',
    async (mode, { reason, args = [] }) => {
      // The tests run concurrently: each closes its own server (a shared afterEach would close them all).
      const server = await startHostileServer({ mode });
      const run = await runCli(['audit', '--router', `127.0.0.1:${server.port}`, '--user', 'admin', ...args]).finally(
        () => server.close(),
      );
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(reason);
      expect(run.maxRssBytes).toBeGreaterThan(0);
      expect(run.maxRssBytes).toBeLessThan(400 * 1024 * 1024);
    },
    HARD_BOUND_MS + 5000,
  );
});
