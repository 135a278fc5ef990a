import { rmSync } from 'node:fs';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Any build, however started, voids scripts/build-stamp.mjs's record: only build-if-stale.mjs writes
 * it, after a build that succeeded, so `npm run serve` never trusts an out/ it did not see built.
 */
const voidBuildStamp = {
  name: 'portpilot-void-build-stamp',
  buildStart: () => rmSync(resolve(root, 'out/.build-stamp'), { force: true }),
};

// One config builds the three processes (STYLE.md: electron-vite boilerplate). `out/main/web.js` is the
// web-mode host, built from the same sources as the desktop main process.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), voidBuildStamp],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          web: resolve(root, 'electron/web/cli.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // A sandboxed preload must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [vue()],
    resolve: { alias: { '@': resolve(root, 'renderer/src') } },
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
