/**
 * The demo router: one device state (device/) behind three faces — the RouterOS API (+ API-SSL),
 * UPnP IGD (SSDP + SOAP) and NAT-PMP. Used embedded by the app ("Try the demo router", loopback,
 * random ports) and by the standalone CLI (cli.ts).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_ROUTER_FILES, writeFileAtomic } from '../storage';
import type { RunningServer } from './api-device';
import { certificateFingerprint256, generateSelfSignedCert, startApiServer } from './api/server';
import type { Clock, Random } from './device/clock';
import { DemoDevice } from './device/device';
import type { Profile } from './device/registry';
import { buildScenario, type ScenarioName } from './device/scenarios/index';
import { attachStateWriter, loadState, type StateWriter } from './device/state-file';
import { TrafficSimulator } from './device/traffic';
import type { Unknowns } from './device/unknowns';
import { startIgd, type IgdServer } from './igd/server';
import { startNatPmp, type NatPmpServer } from './natpmp/server';

export type { Profile } from './device/registry';
export type { ScenarioName } from './device/scenarios/index';
export type { Unknowns } from './device/unknowns';
export { DemoDevice } from './device/device';

export interface DemoRouterOptions {
  host?: string;
  /** 0 / absent = random. */
  apiPort?: number;
  /** 0 / absent = random; null = no API-SSL. */
  apiSslPort?: number | null;
  /**
   * API-SSL's certificate: `self-signed` (default; made at first start, kept in `dataDir`) or `none`,
   * anonymous Diffie-Hellman only, like a RouterOS api-ssl service without a certificate (its default).
   */
  apiSslCert?: ApiSslCert;
  igdPort?: number;
  /** 0 / absent = random (embedding); the CLI passes 5351 when asked. */
  natpmpPort?: number;
  /**
   * When natpmpPort (e.g. 5351, which natpmpc and most clients insist on) is taken, bind a random port
   * instead of failing, and say so in the log. The CLI's default.
   */
  natpmpFallback?: boolean;
  /** Absent = random; null = no SSDP responder. */
  ssdpPort?: number | null;
  /** Join the SSDP multicast group (off for loopback embedding). */
  multicast?: boolean;
  profile?: Profile;
  scenario?: ScenarioName;
  /** What real RouterOS may or may not allow (device/unknowns.ts); absent = the strictest plausible. */
  unknowns?: Partial<Unknowns>;
  /** IGD:1 + WANIPConnection:1 like RouterOS (default) or IGD:2. */
  igdVersion?: 1 | 2;
  user?: string;
  password?: string;
  stateFile?: string;
  /** Where the API-SSL certificate is generated at first start and kept. */
  dataDir?: string;
  clock?: Clock;
  random?: Random;
  /** Simulated traffic (default on). */
  traffic?: boolean;
  log?: (line: string) => void;
}

export type ApiSslCert = 'none' | 'self-signed';
export const API_SSL_CERTS: readonly ApiSslCert[] = ['none', 'self-signed'];

export interface DemoRouterEndpoints {
  host: string;
  apiPort: number;
  apiSslPort: number | null;
  /** API-SSL's certificate kind, null without API-SSL. */
  apiSslCert: ApiSslCert | null;
  /** SHA-256 of API-SSL's certificate (`AB:CD:…`), to compare with what a client shows; null without one. */
  apiSslFingerprint: string | null;
  rootDescriptionUrl: string;
  natPmp: { host: string; port: number };
  ssdpPort: number | null;
}

export interface DemoRouter {
  endpoints: DemoRouterEndpoints;
  device: DemoDevice;
  profile: Profile;
  scenario: ScenarioName;
  user: string;
  stop(): Promise<void>;
  reboot(): void;
}

/** A key and certificate that belong together; a pair from two racing first starts does not. */
function isPair(cert: string, key: string): boolean {
  try {
    return new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch {
    return false;
  }
}

/** The certificate is made once per data dir, like a router that created its own at first start. */
async function loadOrCreateCert(
  dataDir: string | undefined,
  commonName: string,
): Promise<{ cert: string; key: string }> {
  if (!dataDir) return generateSelfSignedCert(commonName);
  const certPath = join(dataDir, DEMO_ROUTER_FILES.cert);
  const keyPath = join(dataDir, DEMO_ROUTER_FILES.certKey);
  const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]).catch(() => []);
  if (cert && key && isPair(cert, key)) return { cert, key };
  const made = await generateSelfSignedCert(commonName);
  // A start that stops between the two writes finds no pair next time and makes a new one.
  await writeFileAtomic(keyPath, made.key);
  await writeFileAtomic(certPath, made.cert, { mode: 0o644 });
  return { cert: made.cert, key: made.key };
}

/** API-SSL's TLS material: a kept self-signed certificate, or none at all (anonymous DH). */
async function apiSslTls(
  opts: DemoRouterOptions,
  device: DemoDevice,
): Promise<{ tls: { cert?: string; key?: string }; fingerprint: string | null }> {
  if (opts.apiSslCert === 'none') return { tls: {}, fingerprint: null };
  const pair = await loadOrCreateCert(opts.dataDir, device.table('/system/identity').singleton().name ?? 'MikroTik');
  return { tls: pair, fingerprint: certificateFingerprint256(pair.cert) };
}

export async function buildDevice(opts: DemoRouterOptions): Promise<DemoDevice> {
  const device = new DemoDevice({
    profile: opts.profile ?? 'routeros7',
    clock: opts.clock,
    random: opts.random,
    user: opts.user ?? 'admin',
    password: opts.password ?? '',
    igdVersion: opts.igdVersion,
    unknowns: opts.unknowns,
  });
  buildScenario(device, opts.scenario ?? 'home');
  if (opts.stateFile) {
    const saved = await loadState(opts.stateFile);
    if (saved) device.importConfig(saved);
  }
  return device;
}

async function bindNatPmp(
  device: DemoDevice,
  host: string,
  opts: DemoRouterOptions,
  log: (line: string) => void,
): Promise<NatPmpServer> {
  const port = opts.natpmpPort ?? 0;
  try {
    return await startNatPmp({ backend: device.backend, host, port, log });
  } catch (err) {
    if (!opts.natpmpFallback || port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    log(
      `nat-pmp: ${host}:${port} is in use; using a random port (NAT-PMP clients that insist on ${port} will not find it)`,
    );
    return startNatPmp({ backend: device.backend, host, port: 0, log });
  }
}

/**
 * The IGD description says what the API says: its friendly name is /system/identity and its model
 * number the RouterOS version of /system/resource ("7.19.2 (stable)" → "7.19.2"), as a client
 * comparing both faces of one router expects.
 */
export function igdIdentity(device: DemoDevice): { friendlyName: string; modelNumber: string } {
  const version = device.table('/system/resource').singleton().version ?? '';
  return {
    friendlyName: device.table('/system/identity').singleton().name ?? 'MikroTik',
    modelNumber: version.split(' ')[0] || version,
  };
}

export async function startDemoRouter(opts: DemoRouterOptions = {}): Promise<DemoRouter> {
  const host = opts.host ?? '127.0.0.1';
  const profile = opts.profile ?? 'routeros7';
  const scenario = opts.scenario ?? 'home';
  const log = opts.log ?? (() => undefined);
  const device = await buildDevice({ ...opts, profile, scenario });
  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) await fn();
    cleanups.length = 0;
  };
  try {
    const detachTraffic = opts.traffic === false ? () => undefined : new TrafficSimulator(device).attach();
    device.start();
    cleanups.push(() => {
      detachTraffic();
      device.stop();
    });
    const writer: StateWriter | null = opts.stateFile ? attachStateWriter(device, opts.stateFile, { log }) : null;
    if (writer) cleanups.push(() => writer.close());
    const emptyReplies = profile === 'routeros7';
    const api = await startApiServer({ device, host, port: opts.apiPort ?? 0, emptyReplies, log });
    cleanups.push(() => api.close());
    let apiSsl: RunningServer | null = null;
    let apiSslFingerprint: string | null = null;
    if (opts.apiSslPort !== null) {
      const { tls, fingerprint } = await apiSslTls(opts, device);
      apiSsl = await startApiServer({ device, host, port: opts.apiSslPort ?? 0, tls, emptyReplies, log });
      apiSslFingerprint = fingerprint;
      const ssl = apiSsl;
      cleanups.push(() => ssl.close());
    }
    const igd: IgdServer = await startIgd({
      backend: device.backend,
      identity: igdIdentity(device),
      host,
      httpPort: opts.igdPort ?? 0,
      ssdpPort: opts.ssdpPort === undefined ? 0 : opts.ssdpPort,
      multicast: opts.multicast ?? false,
      log,
    });
    cleanups.push(() => igd.close());
    const natPmp = await bindNatPmp(device, host, opts, log);
    cleanups.push(() => natPmp.close());
    return {
      endpoints: {
        host,
        apiPort: api.port,
        apiSslPort: apiSsl?.port ?? null,
        apiSslCert: apiSsl ? (opts.apiSslCert ?? 'self-signed') : null,
        apiSslFingerprint,
        rootDescriptionUrl: igd.rootDescriptionUrl,
        natPmp: { host: natPmp.host, port: natPmp.port },
        ssdpPort: igd.ssdpPort,
      },
      device,
      profile,
      scenario,
      user: opts.user ?? 'admin',
      stop: stopAll,
      reboot: () => device.reboot(),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
