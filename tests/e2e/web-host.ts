import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartedApp {
  url: string;
  /** The host's process id (the bench reads its RSS and CPU time from /proc). */
  pid: number;
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts a command that prints the web-mode URL as the last line of its ready message, with a fresh
 * config dir (profiles, secrets, history) so tests never touch the user's own.
 */
export async function startApp(command: string, args: string[], timeoutMs = 90_000): Promise<StartedApp> {
  const configDir = mkdtempSync(path.join(tmpdir(), 'pp-e2e-config-'));
  const child: ChildProcess = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, PORTPILOT_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL within ${timeoutMs} ms:\n${output.join('\n')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const match = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line.trim());
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => output.push(...c.toString().split('\n').filter(Boolean)));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing a URL:\n${output.join('\n')}`)));
  });
  return {
    url,
    pid: child.pid!,
    output,
    stop: async () => {
      if (child.exitCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      await once(child, 'exit');
    },
  };
}
