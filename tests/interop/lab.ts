// Network-namespace lab with the real Debian miniupnpd as the router (igd-lab-facts.md):
//   wan host — [outer NAT] — rtr (WAN veth + LAN bridge, miniupnpd, optional masquerade) — lan, lan2.
// Options add the router's NAT, a true double NAT and coturn on two WAN addresses (stun-lab-facts.md).
// Every command that touches a lab address runs inside a lab namespace; the host namespace never
// sends traffic to lab addresses. Teardown kills our processes by PID and deletes the namespaces,
// from afterAll and from process exit/signal handlers, so a failed test leaves nothing behind.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { miniupnpdConf, natRuleset, nftRuleset } from './lab-config';
import { startCoturn, waitForCoturn } from './lab-coturn';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LabOptions {
  /** 'public': a non-reserved WAN prefix that exists only inside the namespaces (miniupnpd refuses
   *  to forward on private/reserved WAN addresses, pitfall 1). 'cgnat': 100.64.x, the double-NAT case. */
  wan: 'public' | 'cgnat';
  /** miniupnpd's force_igd_desc_v1: serve an IGD:1 description instead of IGD:2 (pitfall 4). */
  igdV1: boolean;
  /** External port that a permission line denies for everyone. */
  deniedPort?: number;
  /** NAT on the router's WAN (stun-lab-facts.md): none (routing only), Linux `masquerade`
   *  (endpoint-independent mapping, address-and-port-dependent filtering) or `masquerade
   *  random,fully-random` (a new random port per destination). */
  nat?: 'none' | 'masquerade' | 'random';
  /** A true double NAT: an `outer` namespace between the router and the WAN host that masquerades
   *  again. The router's own WAN is then 11.48.0.0/24 (still public-looking, so miniupnpd maps). */
  outerNat?: boolean;
  /** coturn as an RFC 5780 STUN server on two WAN-host addresses (ports 3478 and 3479). */
  stun?: boolean;
}

export interface LabNamespaces {
  rtr: string;
  wan: string;
  lan: string;
  lan2: string;
  /** Only with `outerNat`. */
  outer?: string;
}

export interface Lab {
  ns: LabNamespaces;
  addr: {
    rtrLan: string;
    rtrWan: string;
    wanHost: string;
    lan: string;
    lan2: string;
    /** The WAN host's second address (coturn's alternate, with `stun`). */
    wanHost2: string;
    /** The outer NAT's WAN address (what the Internet sees with `outerNat`), else rtrWan. */
    publicAddress: string;
  };
  httpPort: number;
  deniedPort: number;
  rootDescUrl: string;
  workDir: string;
  miniupnpdPid: number;
  /** Runs a command inside a lab namespace (never in the host namespace). */
  exec(ns: string, cmd: string[], timeoutMs?: number): string;
  miniupnpdLog(): string;
  /** coturn's log (with `stun`). */
  stunLog(): string;
  teardown(): void;
}

const LAN = '192.168.77';
const HTTP_PORT = 5000;
const live = new Set<() => void>();

/** Why the lab cannot run here, or null when it can. */
export function labUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'the interop lab needs Linux network namespaces';
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'the interop lab needs root (network namespaces, nftables)';
  for (const bin of ['/usr/sbin/miniupnpd', '/usr/sbin/ip', '/usr/sbin/nft', '/usr/bin/unshare']) {
    if (!existsSync(bin)) return `${bin} is missing: apt-get install miniupnpd nftables iproute2 util-linux`;
  }
  return null;
}

function run(cmd: string[], timeoutMs = 10_000): string {
  const [file, ...args] = cmd;
  return execFileSync(file ?? 'false', args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The link from the router's wan0 to the next hop: the WAN host, or the outer NAT (double NAT). */
function buildUplink(ns: Lab['ns'], addr: Lab['addr']): void {
  const ip = (...a: string[]): string => run(['ip', ...a]);
  const next = ns.outer ?? ns.wan;
  const nextIface = ns.outer ? 'in0' : 'eth0';
  const nextAddr = ns.outer ? addr.rtrWan.replace(/\.1$/, '.2') : addr.wanHost;
  ip('-n', ns.rtr, 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', nextIface, 'netns', next);
  ip('-n', ns.rtr, 'addr', 'add', `${addr.rtrWan}/24`, 'dev', 'wan0');
  ip('-n', ns.rtr, 'link', 'set', 'wan0', 'up');
  ip('-n', ns.rtr, 'route', 'add', 'default', 'via', nextAddr);
  if (ns.outer) {
    ip('-n', ns.outer, 'addr', 'add', `${nextAddr}/24`, 'dev', nextIface);
    ip('-n', ns.outer, 'link', 'set', nextIface, 'up');
    ip('-n', ns.outer, 'link', 'add', 'out0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.wan);
    ip('-n', ns.outer, 'addr', 'add', `${addr.publicAddress}/24`, 'dev', 'out0');
    ip('-n', ns.outer, 'link', 'set', 'out0', 'up');
    ip('-n', ns.outer, 'route', 'add', 'default', 'via', addr.wanHost);
    run(['ip', 'netns', 'exec', ns.outer, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  }
  ip('-n', ns.wan, 'addr', 'add', `${addr.wanHost}/24`, 'dev', 'eth0');
  ip('-n', ns.wan, 'addr', 'add', `${addr.wanHost2}/24`, 'dev', 'eth0');
  ip('-n', ns.wan, 'link', 'set', 'eth0', 'up');
}

function buildTopology(ns: Lab['ns'], addr: Lab['addr']): void {
  const ip = (...a: string[]): string => run(['ip', ...a]);
  for (const n of Object.values(ns)) {
    ip('netns', 'add', n);
    ip('-n', n, 'link', 'set', 'lo', 'up');
  }
  ip('-n', ns.rtr, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
  ip('-n', ns.rtr, 'addr', 'add', `${addr.rtrLan}/24`, 'dev', 'br0');
  ip('-n', ns.rtr, 'link', 'set', 'br0', 'up');
  // veth pairs are created inside the router namespace, the peer moved straight into the host's.
  buildUplink(ns, addr);
  for (const [i, host] of [
    [0, ns.lan],
    [1, ns.lan2],
  ] as const) {
    const port = `lan${i}`;
    ip('-n', ns.rtr, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host);
    ip('-n', ns.rtr, 'link', 'set', port, 'master', 'br0');
    ip('-n', ns.rtr, 'link', 'set', port, 'up');
    ip('-n', host, 'addr', 'add', `${i === 0 ? addr.lan : addr.lan2}/24`, 'dev', 'eth0');
    ip('-n', host, 'link', 'set', 'eth0', 'up');
    ip('-n', host, 'route', 'add', 'default', 'via', addr.rtrLan);
    // SSDP multicast leaves by the LAN link, not the default route's idea of it.
    ip('-n', host, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0');
  }
  run(['ip', 'netns', 'exec', ns.rtr, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
}

function startMiniupnpd(rtr: string, workDir: string): ChildProcess {
  const log = openSync(join(workDir, 'miniupnpd.log'), 'a');
  // Without -d (pitfall 3): in debug mode every line also goes to syslog, whose LOG_CONS fallback
  // opens /dev/console when /dev/log is missing, and a refused NAT-PMP request logs all 65,535
  // ports. As a daemon it logs at notice level only. A private mount namespace still binds
  // /dev/null over /dev/console, so nothing reaches the machine's console either way. The daemon
  // writes its PID to -P; that PID is what teardown kills.
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      rtr,
      'unshare',
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      `mount --bind /dev/null /dev/console && exec /usr/sbin/miniupnpd -f ${workDir}/miniupnpd.conf -P ${workDir}/miniupnpd.pid`,
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  return child;
}

async function waitForDaemon(
  lab: Pick<Lab, 'exec' | 'ns' | 'miniupnpdLog' | 'workDir'>,
  launcher: ChildProcess,
  onPid: (pid: number) => void,
): Promise<number> {
  const deadline = Date.now() + 10_000;
  const pidFile = join(lab.workDir, 'miniupnpd.pid');
  let pid = 0;
  while (Date.now() < deadline) {
    if (launcher.exitCode !== null && launcher.exitCode !== 0)
      throw new Error(`miniupnpd failed to start (${launcher.exitCode}):\n${lab.miniupnpdLog()}`);
    if (!pid && existsSync(pidFile)) {
      pid = Number(readFileSync(pidFile, 'utf8').trim()) || 0;
      if (pid) onPid(pid);
    }
    // `ss` inside the router namespace shows the listening socket without sending any traffic.
    if (pid && lab.exec(lab.ns.rtr, ['ss', '-ltnH', `sport = :${HTTP_PORT}`]).includes(`:${HTTP_PORT}`)) return pid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`miniupnpd did not listen on ${HTTP_PORT} within 10 s:\n${lab.miniupnpdLog()}`);
}

const LAB_NS = /^(pp-[0-9a-f]{6})-(rtr|wan|lan|lan2|outer)$/;

/** A killed daemon stays a zombie until init reaps it (seconds, on this VM): that counts as dead. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Removes labs left by a run that was SIGKILLed (no exit hook ran): their owner PID, recorded in
 *  the lab's work dir, is dead. Labs of live runs, or not made here, are left alone. */
export function sweepStaleLabs(): string[] {
  const byLab = new Map<string, string[]>();
  for (const line of run(['ip', 'netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const id = LAB_NS.exec(name)?.[1];
    if (id) byLab.set(id, [...(byLab.get(id) ?? []), name]);
  }
  const dirs = readdirSync(tmpdir());
  const swept: string[] = [];
  for (const [id, names] of byLab) {
    const dir = dirs.find((d) => d.startsWith(`${id}-`));
    if (!dir) continue;
    const read = (f: string): number =>
      existsSync(join(tmpdir(), dir, f)) ? Number(readFileSync(join(tmpdir(), dir, f), 'utf8')) || 0 : 0;
    // Only labs this module made (an owner.pid in their work dir) whose owner is dead: other
    // helpers' labs may use the same pp- names.
    const owner = read('owner.pid');
    if (!owner || alive(owner)) continue;
    const daemons = [read('miniupnpd.pid'), read('turn.pid')].filter((p) => p > 0);
    makeTeardown(
      { rtr: `${id}-rtr`, wan: `${id}-wan`, lan: `${id}-lan`, lan2: `${id}-lan2`, outer: `${id}-outer` },
      join(tmpdir(), dir),
      new Set(daemons),
    )();
    swept.push(...names);
  }
  return swept;
}

/** Idempotent cleanup: our recorded PIDs, then anything still running inside the namespaces
 *  (`ip netns pids`, e.g. a daemon that forked before its PID file was read), then the namespaces. */
function makeTeardown(ns: Lab['ns'], workDir: string, pids: Set<number>): () => void {
  let torn = false;
  const kill = (pid: number): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const teardown = (): void => {
    if (torn) return;
    torn = true;
    live.delete(teardown);
    pids.forEach(kill);
    for (const n of Object.values(ns)) {
      try {
        execFileSync('ip', ['netns', 'pids', n], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
          .split('\n')
          .map(Number)
          .filter((p) => p > 1 && p !== process.pid)
          .forEach(kill);
        execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
      } catch {
        /* never created */
      }
    }
    rmSync(workDir, { recursive: true, force: true });
  };
  return teardown;
}

export async function createLab(opts: LabOptions): Promise<Lab> {
  sweepStaleLabs();
  const id = `pp-${randomBytes(3).toString('hex')}`;
  const ns: LabNamespaces = { rtr: `${id}-rtr`, wan: `${id}-wan`, lan: `${id}-lan`, lan2: `${id}-lan2` };
  if (opts.outerNat) ns.outer = `${id}-outer`;
  // 11.47.0.0/24 is ordinary unicast space (not RFC 1918/6598/5737), routed only inside the lab; so
  // is 11.48.0.0/24, the link between the router and the outer NAT of a double-NAT lab.
  const wanPrefix = opts.wan === 'public' ? '11.47.0' : '100.64.7';
  const rtrWan = opts.outerNat ? '11.48.0.1' : `${wanPrefix}.1`;
  const addr = {
    rtrLan: `${LAN}.1`,
    rtrWan,
    wanHost: `${wanPrefix}.2`,
    wanHost2: `${wanPrefix}.3`,
    lan: `${LAN}.10`,
    lan2: `${LAN}.11`,
    publicAddress: `${wanPrefix}.1`,
  };
  const deniedPort = opts.deniedPort ?? 2222;
  const workDir = mkdtempSync(join(tmpdir(), `${id}-`));
  writeFileSync(join(workDir, 'owner.pid'), String(process.pid));
  const pids = new Set<number>();
  const teardown = makeTeardown(ns, workDir, pids);
  live.add(teardown);
  installExitHooks();
  const exec = (n: string, cmd: string[], timeoutMs?: number): string => {
    if (!Object.values(ns).includes(n)) throw new Error(`${n} is not a namespace of this lab`);
    return run(['ip', 'netns', 'exec', n, ...cmd], timeoutMs);
  };
  const miniupnpdLog = (): string =>
    existsSync(join(workDir, 'miniupnpd.log')) ? readFileSync(join(workDir, 'miniupnpd.log'), 'utf8') : '';
  try {
    buildTopology(ns, addr);
    writeFileSync(join(workDir, 'nft.conf'), nftRuleset());
    exec(ns.rtr, ['nft', '-f', join(workDir, 'nft.conf')]);
    if (opts.nat && opts.nat !== 'none') {
      writeFileSync(join(workDir, 'nat.nft'), natRuleset(opts.nat, 'wan0', 110));
      exec(ns.rtr, ['nft', '-f', join(workDir, 'nat.nft')]);
    }
    if (ns.outer) {
      writeFileSync(join(workDir, 'outer.nft'), natRuleset('masquerade', 'out0', 100));
      exec(ns.outer, ['nft', '-f', join(workDir, 'outer.nft')]);
    }
    const stunLog = (): string =>
      existsSync(join(workDir, 'turn.log')) ? readFileSync(join(workDir, 'turn.log'), 'utf8') : '';
    if (opts.stun) {
      const coturn = startCoturn({ ns, addr, workDir });
      coturn.on('exit', () => undefined);
      await waitForCoturn({ exec, ns, addr, workDir }, (pid) => pid && pids.add(pid));
    }
    writeFileSync(
      join(workDir, 'miniupnpd.conf'),
      miniupnpdConf({ igdV1: opts.igdV1, deniedPort, workDir, lanPrefix: LAN, httpPort: HTTP_PORT }),
    );
    const launcher = startMiniupnpd(ns.rtr, workDir);
    const miniupnpdPid = await waitForDaemon({ exec, ns, workDir, miniupnpdLog }, launcher, (pid) => pids.add(pid));
    return {
      ns,
      addr,
      httpPort: HTTP_PORT,
      deniedPort,
      rootDescUrl: `http://${addr.rtrLan}:${HTTP_PORT}/rootDesc.xml`,
      workDir,
      miniupnpdPid,
      exec,
      miniupnpdLog,
      stunLog,
      teardown,
    };
  } catch (e) {
    teardown();
    throw e;
  }
}

let hooked = false;
function installExitHooks(): void {
  if (hooked) return;
  hooked = true;
  const all = (): void => [...live].forEach((t) => t());
  process.on('exit', all);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      all();
      process.exit(130);
    });
  }
}
