/**
 * Runs one OS command to read this PC's network setup (route.exe, netstat, ip): a file and an argument
 * list, never a shell string (no quoting, no injection); a deadline after which the child is killed;
 * an output bound after which it is killed too; no console window on Windows. Output is decoded as
 * latin1, which never fails: the parsers read only ASCII digits, dots and names, and Windows writes
 * the console's OEM code page into a pipe (850 on German Windows), which is not UTF-8.
 */
import { execFile } from 'node:child_process';
import { HostNetworkError } from './errors';

export interface RunOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** 'utf8' for commands told to write UTF-8 (PowerShell with [Console]::OutputEncoding set). */
  encoding?: 'latin1' | 'utf8';
}

export type RunCommand = (file: string, args: readonly string[], opts?: RunOptions) => Promise<string>;

/** A route table is a few KiB; 1 MiB leaves room for thousands of routes (a VPN's split tunnel). */
const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 5000;

export const runCommand: RunCommand = (file, args, opts = {}) => {
  const timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_BYTES;
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { timeout: timeoutMs, maxBuffer: maxBytes, killSignal: 'SIGKILL', windowsHide: true, encoding: 'buffer' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout.toString(opts.encoding ?? 'latin1'));
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        const what = `${file} ${args.join(' ')}`.trim();
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return reject(new HostNetworkError('too-large', `${what} printed more than ${maxBytes} bytes: stopped it`));
        if (e.killed)
          return reject(new HostNetworkError('timeout', `${what} did not finish within ${timeoutMs} ms: stopped it`));
        if (e.code === 'ENOENT')
          return reject(new HostNetworkError('command-failed', `${what}: the command is not installed on this PC`));
        const said = stderr.toString('latin1').trim().slice(0, 200);
        reject(
          new HostNetworkError(
            'command-failed',
            `${what} failed (${String(e.code ?? e.message)})${said ? `: ${said}` : ''}`,
          ),
        );
      },
    );
  });
};
