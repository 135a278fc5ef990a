// Issue 14: `npm start` / `npm run serve` rebuilt the app every time (7–8 s before the URL). The build
// is a function of its inputs, so we keep a content hash of them beside the output (out/.build-stamp)
// and build only when it differs. A content hash, not mtimes: a branch switch and back, or a fresh
// clone, gives new mtimes to unchanged files; hashing the ~1.2 MB of sources takes milliseconds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Folders whose files go into out/ (tests and notes beside the code do not). */
export const INPUT_DIRS = ['electron', 'shared', 'renderer'];
/** Single files that change what the build produces: its config, and every bundled package's version. */
export const INPUT_FILES = [
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
];
/** What the build writes; a missing one means "build", whatever the stamp says. */
export const OUTPUTS = ['out/main/index.js', 'out/main/web.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
export const STAMP = 'out/.build-stamp';

const notAnInput = (name) => /\.test\.ts$/.test(name) || name.endsWith('.md') || name === 'node_modules';

function filesUnder(root, dir) {
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (notAnInput(e.name)) continue;
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) out.push(child);
    }
  };
  if (existsSync(path.join(root, dir))) walk(dir);
  return out;
}

/** sha256 over every input's path and bytes, in a fixed order. */
export function inputsDigest(root) {
  const files = [...INPUT_DIRS.flatMap((d) => filesUnder(root, d)), ...INPUT_FILES].sort();
  const hash = createHash('sha256');
  for (const rel of files) {
    const file = path.join(root, rel);
    hash.update(`${rel}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : '(absent)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Why a build is needed, or null when out/ was built from exactly these inputs. */
export function staleReason(root) {
  const missing = OUTPUTS.find((f) => !existsSync(path.join(root, f)));
  if (missing) return `${missing} is missing`;
  const stamp = path.join(root, STAMP);
  if (!existsSync(stamp)) return 'no record of the last build';
  return readFileSync(stamp, 'utf8').trim() === inputsDigest(root) ? null : 'a source file changed';
}

/** Before a build: a build that fails half-way must not leave a stamp that calls out/ current. */
export function clearStamp(root) {
  rmSync(path.join(root, STAMP), { force: true });
}

/** After a successful build of `digest` (taken before the build started, so an edit during it counts). */
export function writeStamp(root, digest) {
  writeFileSync(path.join(root, STAMP), `${digest}\n`);
}
