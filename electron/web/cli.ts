import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { domainList } from '../../shared/domains';
import { commandLine, parseFlags, printUsageError, processIO, UsageError } from '../cli/command';
import { createDispatcher } from '../host/dispatcher';
import { installFaultGuard } from '../host/fault-guard';
import { defaultConfigDir } from '../core/config-dir';
import { createServices } from '../services';
import { isLoopback } from './auth';
import { startWebHost, WebHostOptionError } from './server';

const USAGE = 'Usage: npm run serve -- [--port N] [--host H] [--allow-remote] [--open]';

const OPTIONS = {
  port: { type: 'string', default: '0' },
  host: { type: 'string', default: '127.0.0.1' },
  'allow-remote': { type: 'boolean', default: false },
  open: { type: 'boolean', default: false },
  'renderer-dir': { type: 'string' },
  'config-dir': { type: 'string' },
} as const;

function parseServeArgs(argv: string[]) {
  const args = parseFlags(argv, OPTIONS);
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 (random) to 65535, got "${args.port}".`);
  return { ...args, port };
}

/** `npm run serve`: PortPilot headless, the same UI and contract in a browser. */
async function main(argv: string[]): Promise<void> {
  const line = commandLine(argv, processIO, USAGE, parseServeArgs);
  if ('exit' in line) {
    process.exitCode = line.exit;
    return;
  }
  const args = line.args;
  const port = args.port;
  const rendererDir = args['renderer-dir'] ?? findRendererDir();
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    return usageError(`The built UI is missing in ${rendererDir}: run \`npm run build\` first.`);
  }

  const configDir = args['config-dir'] ?? defaultConfigDir();
  const { services, hub, dispose, prepare } = createServices({ configDir, log: logLine });
  const dispatcher = createDispatcher(domainList, services, logLine);
  let host;
  try {
    host = await startWebHost({
      dispatcher,
      hub,
      rendererDir,
      host: args.host,
      port,
      allowRemote: args['allow-remote'],
      log: logLine,
    });
  } catch (err) {
    if (err instanceof WebHostOptionError) return usageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      return usageError(`Port ${port} is already in use: pick another with --port, or 0 for a random one.`);
    throw err;
  }
  // Issue 18: from now on, a fault nobody caught drops the router session (the browser sees the state
  // change) instead of ending the web server; see fault-guard.ts. (A failed start still ends the process.)
  installFaultGuard(process, {
    log: logLine,
    recover: (fault) =>
      services.router.dropSession(
        `PortPilot hit an internal error (${fault.message}) and closed the connection to be safe. Connect again.`,
      ),
  });
  if (!isLoopback(host.host)) {
    console.warn(
      `WARNING: web mode is reachable from the network on ${host.host}. Anyone with the URL can change your router.`,
    );
  }
  const stop = async () => {
    await host.close();
    await dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  console.log('PortPilot web mode is ready. Open this URL in your browser (it carries the access token):');
  console.log(host.url);
  if (args.open) openBrowser(host.url);
  // After the URL: nothing here delays start-up; the table is ready when the user connects.
  prepare();
}

function findRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../renderer'), path.resolve(process.cwd(), 'out/renderer')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[1]!;
}

function openBrowser(url: string): void {
  const [cmd, ...cmdArgs] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '', url]
        : ['xdg-open', url];
  const child = spawn(cmd!, cmdArgs, { stdio: 'ignore', detached: true });
  child.on('error', () => console.error('Could not open a browser: copy the URL above into one.'));
  child.unref();
}

function logLine(line: string): void {
  console.error(`[portpilot] ${line}`);
}

/** What the options asked for cannot be served (no built UI, port taken…): exit 2 like a bad flag. */
function usageError(message: string): void {
  process.exitCode = printUsageError(processIO, message, USAGE);
}

void main(process.argv.slice(2));
