import { defineConfig } from 'vitest/config';

// Interop tests drive real Debian peers (upnpc, natpmpc, miniupnpd) and network namespaces.
// They need root and the apt packages that .ci/run installs, so they are not part of `npm test`.
export default defineConfig({
  test: {
    include: ['tests/interop/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
