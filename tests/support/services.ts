import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServices } from '../../electron/services';

/** Every service, with a throw-away config dir (removed on dispose), for tests that need the whole backend. */
export function testServices(): ReturnType<typeof createServices> & { configDir: string } {
  const configDir = mkdtempSync(path.join(tmpdir(), 'pp-config-'));
  const built = createServices({ configDir });
  return {
    ...built,
    configDir,
    async dispose() {
      await built.dispose();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
