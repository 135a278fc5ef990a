import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../../electron/demo-router';
import { keychainSecrets } from '../../electron/main/keychain-secrets';
import { createServices } from '../../electron/services';

/*
 * Issue 15: on a Linux desktop without GNOME Keyring or KWallet, Electron's safeStorage falls back to
 * `basic_text` (a key built into the app). PortPilot then stores no password: the profile is saved as
 * "ask each time", router:secretStorage says why, and connecting asks for the password.
 */
const password = 'never-stored-basic-text-4b1d';
const ctx = { transport: 'ipc' as const };
// Reversible, like the real key: a stored password would be readable from the file.
const basicText = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from(s),
  decryptString: (b: Buffer) => b.toString(),
  getSelectedStorageBackend: () => 'basic_text',
};

describe('Linux without a keychain: passwords are asked each time', () => {
  let router: DemoRouter;
  let configDir: string;
  let backend: ReturnType<typeof createServices>;
  beforeAll(async () => {
    router = await startDemoRouter({ host: '127.0.0.1', apiSslPort: null, ssdpPort: null, password, traffic: false });
    configDir = mkdtempSync(path.join(tmpdir(), 'pp-basic-text-'));
    backend = createServices({ configDir, secrets: keychainSecrets(basicText, configDir, 'linux') });
  });
  afterAll(async () => {
    await backend.dispose();
    await router.stop();
  });

  it('saves the profile as "ask each time", says why, stores nothing, and asks at connect', async () => {
    const r = backend.services.router;
    expect(await r.secretStorage(undefined, ctx)).toMatchObject({
      kind: 'os-keychain',
      backend: 'basic_text',
      canSave: false,
      reason: expect.stringContaining('asks for the password at each connection'),
    });
    const view = await r.saveProfile(
      {
        name: 'Home',
        host: '127.0.0.1',
        port: router.endpoints.apiPort,
        transport: 'api',
        user: 'admin',
        password,
        savePassword: true,
      },
      ctx,
    );
    expect(view.hasSavedPassword).toBe(false);
    const saved = JSON.parse(readFileSync(path.join(configDir, 'profiles.json'), 'utf8')) as {
      profiles: { passwordMode: string }[];
    };
    expect(saved.profiles.map((p) => p.passwordMode)).toEqual(['ask']);
    expect(() => readFileSync(path.join(configDir, 'secrets.keychain.json'), 'utf8')).toThrow(/ENOENT/);
    await expect(r.connect({ profileId: view.id }, ctx)).rejects.toMatchObject({ code: 'needs-password' });
    await expect(r.connect({ profileId: view.id, password }, ctx)).resolves.toMatchObject({ kind: 'connected' });
    await r.disconnect(undefined, ctx);
  });
});
