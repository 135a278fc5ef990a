// coturn for the interop lab (stun-lab-facts.md): a real RFC 5780 STUN server inside the WAN
// namespace, started and awaited without sending a packet from the host namespace.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './lab';

/** coturn in the WAN namespace on two addresses: RFC 5780 needs two of the same family, and
 *  Debian's /etc/turnserver.conf says no-rfc5780, hence `-c /dev/null` (stun-lab-facts.md). */
export function startCoturn(lab: Pick<Lab, 'ns' | 'addr' | 'workDir'>): ChildProcess {
  const log = openSync(join(lab.workDir, 'turn.log'), 'a');
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      lab.ns.wan,
      'turnserver',
      '-c',
      '/dev/null',
      '--listening-ip',
      lab.addr.wanHost,
      '--listening-ip',
      lab.addr.wanHost2,
      '--listening-port',
      '3478',
      '--no-auth',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--pidfile',
      join(lab.workDir, 'turn.pid'),
      '--log-file',
      'stdout',
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  return child;
}

export async function waitForCoturn(
  lab: Pick<Lab, 'exec' | 'ns' | 'addr' | 'workDir'>,
  onPid: (pid: number) => void,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  const pidFile = join(lab.workDir, 'turn.pid');
  while (Date.now() < deadline) {
    if (existsSync(pidFile)) onPid(Number(readFileSync(pidFile, 'utf8').trim()) || 0);
    // Listening on the alternate address and port too, without sending a packet (`ss` in the namespace).
    const listening = lab.exec(lab.ns.wan, ['ss', '-lunH']);
    if (listening.includes(`${lab.addr.wanHost}:3478`) && listening.includes(`${lab.addr.wanHost2}:3479`)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = join(lab.workDir, 'turn.log');
  throw new Error(`coturn did not listen within 10 s:\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
}
