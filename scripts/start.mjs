// `npm start` (after `electron-vite build`): the desktop app where Electron can run, else web mode.
// Electron's npm package downloads its runtime on first use; where that is impossible (no network, no
// display, missing system libraries) we say so in one sentence and serve the same UI in the browser.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webHost = path.join(root, 'out/main/web.js');
const passThrough = process.argv.slice(2);

function electronBinary() {
  // Resolve in a child so the npm package's download attempt and its noise stay out of our output.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.status !== 0 || !probe.stdout)
    return { ok: false, reason: 'its runtime binary is not installed and could not be downloaded' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no graphical display (DISPLAY / WAYLAND_DISPLAY unset)' };
  }
  const check = spawnSync(probe.stdout, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (check.status !== 0)
    return {
      ok: false,
      reason: `its runtime does not run here (${(check.stderr || '').trim().split('\n')[0] || `exit ${check.status}`})`,
    };
  return { ok: true, path: probe.stdout };
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  return child;
}

const electron = electronBinary();
if (electron.ok) {
  console.log('Starting the PortPilot desktop app…');
  run(electron.path, [root, ...passThrough]);
} else {
  console.log(
    `The desktop app cannot start on this machine because Electron cannot run (${electron.reason}), so PortPilot is starting in web mode instead.`,
  );
  run(process.execPath, [webHost, ...passThrough]);
}
