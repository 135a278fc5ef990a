/**
 * What a packaged PortPilot must hold (issue 14): the three built processes, the node-routeros that
 * patch-package fixed (not the registry's), every package the built main and preload import at run
 * time — and nothing that only the renderer's Vite bundle or the build needs, in an app.asar of at
 * most 25 MB. Pure: it reads a listing, so its test can feed it a broken package.
 */
import { builtinModules } from 'node:module';

export const MAX_ASAR_BYTES = 25 * 1024 * 1024;

/** Files the app cannot start without (electron-builder.yml `extraMetadata.main`, window.ts, web host). */
export const REQUIRED_FILES = [
  '/package.json',
  '/out/main/index.js',
  '/out/main/web.js',
  '/out/preload/index.cjs',
  '/out/renderer/index.html',
];

/** patches/node-routeros+1.6.9.patch writes this into every hunk it adds. */
export const PATCHED_FILE = '/node_modules/node-routeros/dist/Channel.js';
export const PATCH_MARKER = 'PortPilot patch';

/**
 * Named so the check fails loudly even if the lockfile's `dev` flags were lost: the renderer's
 * libraries (bundled by Vite) and the build tools that issue 14 found in a 105 MB app.asar.
 */
export const NEVER_PACKAGED = [
  'vue',
  'naive-ui',
  'pinia',
  'vue-router',
  '@vue/compiler-sfc',
  '@babel/parser',
  'postcss',
  'vite',
  'esbuild',
  'rolldown',
  'typescript',
  'electron',
  'electron-builder',
];

export interface PackagedApp {
  /** Every file in app.asar, `/`-rooted, with its size in bytes. */
  files: ReadonlyMap<string, number>;
  asarBytes: number;
  read(file: string): string;
  /** package.json `dependencies`. */
  dependencies: readonly string[];
  /** package-lock.json `packages`: lock key (`node_modules/a/node_modules/b`) → its `dev` flag. */
  lock: ReadonlyMap<string, { dev?: boolean }>;
}

const builtins = new Set(builtinModules);

/**
 * Bare specifiers a built file loads (`from 'x'`, `import('x')`, `require('x')`, `require.resolve('x')`
 * — the OUI table is read that way), as package names.
 */
export function bareImports(source: string): string[] {
  const out = new Set<string>();
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*)["']([^"'./][^"']*)["']/g;
  for (const m of source.matchAll(re)) {
    const spec = m[1] as string;
    if (spec.startsWith('node:') || builtins.has(spec)) continue;
    const parts = spec.split('/');
    out.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
  }
  return [...out].sort();
}

const packageNameAt = (file: string): string | null =>
  /^\/(?:.+\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(file)?.[1] ?? null;

function runtimeImports(app: PackagedApp): string[] {
  const problems: string[] = [];
  for (const file of app.files.keys()) {
    if (!/^\/out\/(main|preload)\/.*\.c?js$/.test(file)) continue;
    for (const name of bareImports(app.read(file))) {
      if (name === 'electron') continue; // provided by the runtime, never by node_modules
      if (!app.files.has(`/node_modules/${name}/package.json`))
        problems.push(`${file} imports "${name}", which is not in app.asar: add it to "dependencies"`);
    }
  }
  return problems;
}

function forbiddenPackages(app: PackagedApp): string[] {
  const problems: string[] = [];
  for (const file of app.files.keys()) {
    const name = packageNameAt(file);
    if (!name) continue;
    const key = file.slice(1, -'/package.json'.length);
    if (NEVER_PACKAGED.includes(name) || app.lock.get(key)?.dev)
      problems.push(
        `${key} is packaged but only the renderer bundle or the build needs it (move it to devDependencies)`,
      );
  }
  return problems;
}

/** Every problem found; empty when the package is as it should be. */
export function checkPackagedApp(app: PackagedApp): string[] {
  const problems: string[] = [];
  for (const f of REQUIRED_FILES) if (!app.files.has(f)) problems.push(`${f} is missing from app.asar`);
  for (const d of app.dependencies)
    if (!app.files.has(`/node_modules/${d}/package.json`)) problems.push(`dependency ${d} is missing from app.asar`);
  if (!app.files.has(PATCHED_FILE)) problems.push(`${PATCHED_FILE} is missing from app.asar`);
  else if (!app.read(PATCHED_FILE).includes(PATCH_MARKER))
    problems.push(`${PATCHED_FILE} is node-routeros as published, without patches/ (run patch-package before packing)`);
  problems.push(...runtimeImports(app), ...forbiddenPackages(app));
  if (app.asarBytes > MAX_ASAR_BYTES)
    problems.push(
      `app.asar is ${(app.asarBytes / 2 ** 20).toFixed(1)} MB, over the ${MAX_ASAR_BYTES / 2 ** 20} MB limit`,
    );
  return problems;
}
