import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { load as loadYaml } from 'js-yaml';

/*
 * The configuration is checked the way electron-builder itself checks it before building: against its own
 * JSON schema. Packing itself (against a stub Electron, since the runtime cannot be downloaded here) and
 * the app.asar it makes are checked by `npm run test:package` (tests/package/pack.ts) in CI.
 */
const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');

describe('electron-builder.yml', () => {
  const config = loadYaml(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

  it('passes electron-builder’s own configuration validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, logger: { isEnabled: boolean; add: () => void }) => Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add: () => {} })).resolves.toBeUndefined();
  });

  it('names the product, the app id and the targets for Linux, Windows and macOS', () => {
    expect(config).toMatchObject({ appId: 'com.portpilot.app', productName: 'PortPilot' });
    expect((config['linux'] as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config['win'] as { target: string[] }).target).toEqual(['nsis']);
    expect((config['mac'] as { target: string[] }).target).toEqual(['dmg']);
  });

  it('points at icons that exist', () => {
    for (const key of ['linux', 'win', 'mac']) {
      const icon = (config[key] as { icon: string }).icon;
      expect(existsSync(path.join(root, icon)), icon).toBe(true);
    }
    expect(existsSync(path.join(root, 'resources/icon.png'))).toBe(true);
  });
});
