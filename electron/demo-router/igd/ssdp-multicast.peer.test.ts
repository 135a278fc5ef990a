/**
 * Multicast SSDP discovery by real clients, with no description URL given: `upnpc -m` and
 * nat-upnp 1.1.1's own client find the IGD face through 239.255.255.250:1900 and then use it.
 * Everything runs inside a private network namespace (a veth pair, 10.99.0.1/24, a 224/4 route),
 * so no multicast ever leaves through the machine's real interfaces (igd-lab-facts.md safety).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const IP = '/usr/sbin/ip';
const UPNPC = '/usr/bin/upnpc';
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const HOST = '10.99.0.1';
// miniupnpc 2.2 calls an IGD with a reserved WAN address (RFC 1918, TEST-NETs, CGNAT…) "not
// connected" and refuses to use it after discovery, so this run uses a non-reserved address.
const WAN = '11.22.33.44';

function skipReason(): string | null {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'needs root for a network namespace';
  for (const bin of [IP, UPNPC, TSX]) if (!existsSync(bin)) return `${bin} is missing`;
  return null;
}
const reason = skipReason();
if (reason) console.warn(`ssdp-multicast.peer.test: skipped, ${reason}`);

const ns = `pp-igdmc-${randomBytes(3).toString('hex')}`;
let child: ChildProcess | undefined;
let rootDescriptionUrl = '';

function inNs(cmd: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve) => {
    execFile(IP, ['netns', 'exec', ns, ...cmd], { timeout: timeoutMs }, (_e, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

function setUpNamespace(): void {
  execFileSync(IP, ['netns', 'add', ns]);
  const steps = [
    ['link', 'set', 'lo', 'up'],
    ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
    ['addr', 'add', `${HOST}/24`, 'dev', 'v0'],
    ['link', 'set', 'v0', 'up'],
    ['link', 'set', 'v1', 'up'],
    ['route', 'add', '224.0.0.0/4', 'dev', 'v0'],
  ];
  for (const step of steps) execFileSync(IP, ['netns', 'exec', ns, IP, ...step]);
}

function startFace(): Promise<string> {
  const script = fileURLToPath(new URL('./testing/run-igd.ts', import.meta.url));
  child = spawn(IP, ['netns', 'exec', ns, TSX, script, HOST, WAN], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IGD face did not start within 20 s')), 20_000);
    let out = '';
    child?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"ready":true'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { rootDescriptionUrl: string }).rootDescriptionUrl);
      }
    });
    child?.once('exit', (code) => reject(new Error(`IGD face exited early (${code})`)));
  });
}

async function stopFace(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function deleteNamespace(): void {
  try {
    execFileSync(IP, ['netns', 'del', ns]);
  } catch {
    // already gone
  }
}

describe.skipIf(reason !== null)('SSDP multicast discovery in a private namespace', () => {
  beforeAll(async () => {
    process.once('exit', deleteNamespace);
    setUpNamespace();
    rootDescriptionUrl = await startFace();
  }, 30_000);
  afterAll(async () => {
    await stopFace();
    deleteNamespace();
  });

  it('upnpc discovers the IGD by multicast and lists its mappings', async () => {
    const out = await inNs([UPNPC, '-m', HOST, '-l']);
    expect(out).toContain(`desc: ${rootDescriptionUrl}`);
    expect(out).toContain('Found valid IGD');
    expect(out).toContain(`ExternalIPAddress = ${WAN}`);
    expect(out).toContain("'Dummy inactive rule for windows to work'");
  });

  it('nat-upnp 1.1.1 discovers it with its own SSDP client, then adds, lists and deletes', async () => {
    const script = fileURLToPath(new URL('./testing/run-nat-upnp.ts', import.meta.url));
    const out = await inNs([TSX, script]);
    const line = out.split('\n').find((l) => l.startsWith('{'));
    expect(line, out).toBeDefined();
    expect(JSON.parse(line ?? '{}')).toEqual({ ip: WAN, ports: [0, 48500], after: [0], client: HOST });
  });

  it('announces ssdp:byebye for every target on the group when it stops', async () => {
    // A group member inside the namespace, started before the face stops.
    const listener = spawn(IP, ['netns', 'exec', ns, process.execPath, '-e', LISTENER, HOST], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    listener.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise<void>((resolve) => listener.stdout?.once('data', () => resolve()));
    await stopFace();
    await new Promise((resolve) => listener.once('exit', resolve));
    const byebyes = out.split('\n').filter((l) => l.includes('NTS: ssdp:byebye'));
    expect(byebyes).toHaveLength(9);
    expect(out).toContain('NT: urn:schemas-upnp-org:device:InternetGatewayDevice:1');
  });
});

/** Joins 239.255.255.250 on the given address, prints "ready", then one line per NOTIFY for 2 s. */
const LISTENER = `
const s = require('node:dgram').createSocket({ type: 'udp4', reuseAddr: true });
s.on('message', (m) => process.stdout.write(m.toString().replace(/\\r\\n/g, ' | ') + '\\n'));
s.bind(1900, '0.0.0.0', () => {
  s.addMembership('239.255.255.250', process.argv[1]);
  process.stdout.write('ready\\n');
  setTimeout(() => process.exit(0), 2000);
});
`;
