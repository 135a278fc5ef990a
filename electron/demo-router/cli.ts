/**
 * Standalone demo router:
 *   npm run demo-router -- [--host 127.0.0.1] [--api-port N] [--api-ssl-port N] [--igd-port N]
 *     [--natpmp-port N] [--ssdp-port N] [--igd-version 1|2] [--profile routeros7|seed] [--scenario home|fresh|nat-type-3|large]
 *     [--user admin] [--password PW] [--state-file F] [--data-dir D] [--api-ssl-cert self-signed|none]
 *     [--dynamic-remove allow|refuse] [--foreign-delete allow|refuse] [--foreign-add allow|refuse]
 * Port 0 = random; ports default to random except NAT-PMP, which tries 5351 (RFC 6886) and falls back
 * to a random port when 5351 is taken. When ready, exactly one JSON line with "ready":true goes to stdout; logs go to
 * stderr. SIGTERM/SIGINT stop it cleanly (exit 0). Bad arguments exit 2.
 * The API-SSL certificate is kept in --data-dir, by default `demo-router/` under PortPilot's config dir
 * (PORTPILOT_CONFIG_DIR or the platform's), so a profile that pinned it still connects after a restart.
 */
import { pathToFileURL } from 'node:url';
import { commandLine, parseFlags, processIO, UsageError, type CliIO } from '../cli/command';
import { defaultConfigDir } from '../core/config-dir';
import { DataDir } from '../storage';
import { API_SSL_CERTS, startDemoRouter, type ApiSslCert, type DemoRouterOptions } from './index';
import { isScenario, SCENARIOS } from './device/scenarios/index';
import { SWITCH_VALUES, UNKNOWN_FLAGS, type Switch, type Unknowns } from './device/unknowns';

export { UsageError };

const USAGE =
  'usage: demo-router [--host 127.0.0.1] [--api-port N] [--api-ssl-port N] [--igd-port N] [--natpmp-port N] ' +
  '[--ssdp-port N] [--igd-version 1|2] [--profile routeros7|seed] [--scenario home|fresh|nat-type-3|large] [--user admin] ' +
  '[--password PW] [--state-file F] [--data-dir D] [--api-ssl-cert self-signed|none] ' +
  '[--dynamic-remove allow|refuse] [--foreign-delete allow|refuse] [--foreign-add allow|refuse]';

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--${name} must be a port number 0-65535 (0 = random), got "${value}"`);
  return Number(value);
}

const OPTIONS = {
  host: { type: 'string' },
  'api-port': { type: 'string' },
  'api-ssl-port': { type: 'string' },
  'igd-port': { type: 'string' },
  'natpmp-port': { type: 'string' },
  'ssdp-port': { type: 'string' },
  profile: { type: 'string' },
  'igd-version': { type: 'string' },
  scenario: { type: 'string' },
  user: { type: 'string' },
  // The password the simulated router accepts for --user: not a real router's secret.
  password: { type: 'string' },
  'state-file': { type: 'string' },
  'data-dir': { type: 'string' },
  'api-ssl-cert': { type: 'string' },
  // What real RouterOS may or may not allow (device/unknowns.ts).
  'dynamic-remove': { type: 'string' },
  'foreign-delete': { type: 'string' },
  'foreign-add': { type: 'string' },
} as const;

const isApiSslCert = (v: string): v is ApiSslCert => (API_SSL_CERTS as readonly string[]).includes(v);

export function parseCli(argv: string[], env: CliIO['env'] = processIO.env): DemoRouterOptions {
  const values = parseFlags(argv, OPTIONS);
  const profile = values.profile ?? 'routeros7';
  if (profile !== 'routeros7' && profile !== 'seed')
    throw new UsageError(`--profile must be routeros7 or seed, got "${profile}"`);
  const scenario = values.scenario ?? 'home';
  if (!isScenario(scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${scenario}"`);
  const igdVersion = values['igd-version'] ?? '1';
  if (igdVersion !== '1' && igdVersion !== '2')
    throw new UsageError(`--igd-version must be 1 or 2, got "${igdVersion}"`);
  const apiSslCert = values['api-ssl-cert'] ?? 'self-signed';
  if (!isApiSslCert(apiSslCert))
    throw new UsageError(`--api-ssl-cert must be self-signed or none, got "${apiSslCert}"`);
  const host = values.host ?? '127.0.0.1';
  if (!/^[\d.]+$|^[0-9a-fA-F:]+$|^localhost$/.test(host))
    throw new UsageError(`--host must be an IP address, got "${host}"`);
  return {
    host,
    apiPort: port('api-port', values['api-port'], 0),
    apiSslPort: port('api-ssl-port', values['api-ssl-port'], 0),
    apiSslCert,
    igdPort: port('igd-port', values['igd-port'], 0),
    // RFC 6886 clients use 5351 only; fall back to a random port when it is taken and say so.
    natpmpPort: port('natpmp-port', values['natpmp-port'], 5351),
    natpmpFallback: values['natpmp-port'] === undefined,
    ssdpPort: port('ssdp-port', values['ssdp-port'], 0),
    profile,
    scenario,
    igdVersion: igdVersion === '2' ? 2 : 1,
    user: values.user ?? 'admin',
    password: values.password ?? '',
    stateFile: values['state-file'],
    // The certificate outlives the process, as a router's does (issue 18: a new one on every start
    // made a pinned profile refuse the restarted demo router).
    dataDir: values['data-dir'] ?? new DataDir(defaultConfigDir(env)).path('demoRouter'),
    unknowns: unknownsFrom(values),
  };
}

/** `--dynamic-remove allow|refuse` etc.; absent switches keep the profile's strictest default. */
function unknownsFrom(values: Record<string, string | boolean | undefined>): Partial<Unknowns> {
  const out: Partial<Unknowns> = {};
  for (const [key, flag] of Object.entries(UNKNOWN_FLAGS) as Array<[keyof Unknowns, string]>) {
    const value = values[flag];
    if (value === undefined) continue;
    if (!SWITCH_VALUES.includes(value as Switch))
      throw new UsageError(`--${flag} must be allow or refuse, got "${String(value)}"`);
    out[key] = value as Switch;
  }
  return out;
}

/**
 * Log lines to stderr, one write per turn of the event loop: a restore sends thousands of SOAP
 * requests, each logged, and a write per line (synchronous on a pipe) stalled the router whenever the
 * reader of its stderr was slower than the requests (issue 11). The lines and their order are kept.
 */
export function batchedLines(write: (chunk: string) => void): { log(line: string): void; flush(): void } {
  let lines: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (lines.length === 0) return;
    const chunk = `${lines.join('\n')}\n`;
    lines = [];
    write(chunk);
  };
  return {
    log(line) {
      lines.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

async function main(): Promise<void> {
  const line = commandLine(process.argv.slice(2), processIO, USAGE, parseCli);
  if ('exit' in line) {
    process.exitCode = line.exit;
    return;
  }
  const opts = line.args;
  const stderr = batchedLines((chunk) => void process.stderr.write(chunk));
  const log = stderr.log;
  const router = await startDemoRouter({ ...opts, log });
  const { endpoints } = router;
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      host: endpoints.host,
      apiPort: endpoints.apiPort,
      apiSslPort: endpoints.apiSslPort,
      apiSslCert: endpoints.apiSslCert,
      apiSslFingerprint: endpoints.apiSslFingerprint,
      rootDescriptionUrl: endpoints.rootDescriptionUrl,
      ssdpPort: endpoints.ssdpPort,
      natPmp: endpoints.natPmp,
      profile: router.profile,
      scenario: router.scenario,
      user: router.user,
      unknowns: router.device.unknowns,
    })}\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`demo-router: ${signal}, stopping`);
    router.stop().then(
      () => (stderr.flush(), process.exit(0)),
      (err: Error) => {
        log(`demo-router: stop failed: ${err.message}`);
        stderr.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// Run only as a program, so tests can import parseCli without starting a router.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: Error) => {
    process.stderr.write(`demo-router: ${err.message}\n`);
    process.exit(1);
  });
}
