import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateHost, validateInput, type ProfileInput } from './profile';
import { ProfileStore } from './profile-store';

let dir: string;
let clock = 0;
const deps = { now: () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000) };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portpilot-profiles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const home: ProfileInput = {
  name: 'Home',
  host: '192.168.88.1',
  transport: 'api',
  user: 'admin',
  passwordMode: 'saved',
};

describe('field validation', () => {
  it.each([
    ['192.168.88.1', true],
    ['router.lan', true],
    ['my-router', true],
    ['fe80::1', true],
    ['[2001:db8::1]', true],
    ['256.1.1.1', false],
    ['192.168.88', false],
    ['-bad.example', false],
    ['has space', false],
    ['under_score.lan', false],
    ['', false],
    ['a'.repeat(64) + '.lan', false],
  ])('host %j valid=%s', (host, ok) => {
    expect(validateHost(host) === undefined).toBe(ok);
  });

  it('defaults the port by transport and refuses out-of-range or non-numeric ports', () => {
    expect(validateInput(home)).toMatchObject({ ok: true, value: { port: 8728 } });
    expect(validateInput({ ...home, transport: 'api-ssl' })).toMatchObject({ ok: true, value: { port: 8729 } });
    expect(validateInput({ ...home, port: '8730' })).toMatchObject({ ok: true, value: { port: 8730 } });
    for (const port of [0, 65536, -1, 1.5, '80a', 'x']) {
      const v = validateInput({ ...home, port });
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.errors.port).toMatch(/1 to 65535/);
    }
  });

  it('reports every bad field at once', () => {
    const v = validateInput({
      name: ' ',
      host: 'bad host',
      port: 70000,
      transport: 'api',
      user: '',
      passwordMode: 'ask',
    });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(Object.keys(v.errors).sort()).toEqual(['host', 'name', 'port', 'user']);
  });

  it('accepts every port 1..65535 and nothing outside (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100000, max: 200000 }), (port) => {
        expect(validateInput({ ...home, port }).ok).toBe(port >= 1 && port <= 65535);
      }),
    );
  });

  it('stores IPv6 hosts without brackets (sockets take the bare address)', () => {
    expect(validateInput({ ...home, host: '[::1]' })).toMatchObject({ ok: true, value: { host: '::1' } });
  });
});

describe('ProfileStore', () => {
  it('adds, persists, and lists last-used first', async () => {
    const store = new ProfileStore(dir, deps);
    const a = await store.add(home);
    const b = await store.add({ ...home, name: 'Office', host: 'office.example.com', transport: 'api-ssl' });
    const c = await store.add({ ...home, name: 'Beach house', host: '10.0.0.1' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('add failed');
    await store.markUsed(a.value.id);
    await store.markUsed(b.value.id);
    const again = new ProfileStore(dir, deps);
    expect((await again.list()).map((p) => p.name)).toEqual(['Office', 'Home', 'Beach house']);
    expect(await again.get(b.value.id)).toMatchObject({ port: 8729, pinnedFingerprint: null, passwordMode: 'saved' });
  });

  it('returns field errors and writes nothing for invalid input or a duplicate name', async () => {
    const store = new ProfileStore(dir, deps);
    expect(await store.add({ ...home, port: 99999 })).toMatchObject({
      ok: false,
      errors: { port: expect.any(String) },
    });
    expect(await readdir(dir)).toEqual([]);
    await store.add(home);
    expect(await store.add({ ...home, name: 'home' })).toMatchObject({
      ok: false,
      errors: { name: expect.stringMatching(/already exists/) },
    });
    expect(await store.list()).toHaveLength(1);
  });

  it('updates, forgets the pin when the endpoint changes, and deletes', async () => {
    const store = new ProfileStore(dir, deps);
    const added = await store.add({ ...home, transport: 'api-ssl' });
    if (!added.ok) throw new Error('add failed');
    const id = added.value.id;
    await store.setPinnedFingerprint(id, 'AB:CD');
    const renamed = await store.update(id, { ...home, transport: 'api-ssl', name: 'Home 2' });
    expect(renamed).toMatchObject({ ok: true, value: { name: 'Home 2', pinnedFingerprint: 'AB:CD' } });
    const moved = await store.update(id, { ...home, transport: 'api-ssl', name: 'Home 2', host: '192.168.88.2' });
    expect(moved).toMatchObject({ ok: true, value: { pinnedFingerprint: null } });
    expect(await store.update(id, { ...home, user: '' })).toMatchObject({
      ok: false,
      errors: { user: expect.any(String) },
    });
    expect(await store.delete(id)).toBe(true);
    expect(await store.delete(id)).toBe(false);
    expect(await new ProfileStore(dir).list()).toEqual([]);
  });

  it('writes atomically (no temp files left), mode 0600, and serializes concurrent changes', async () => {
    const store = new ProfileStore(dir, deps);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.add({ ...home, name: `R${i}` })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await readdir(dir)).toEqual(['profiles.json']);
    expect((await stat(join(dir, 'profiles.json'))).mode & 0o777).toBe(0o600);
    const onDisk = JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as { profiles: unknown[] };
    expect(onDisk.profiles).toHaveLength(20);
  });

  it('moves an unreadable file aside instead of overwriting it, and says so', async () => {
    await writeFile(join(dir, 'profiles.json'), '{"version":1,"profiles":[{"id":"x"}]}');
    const store = new ProfileStore(dir, deps);
    expect(await store.list()).toEqual([]);
    expect(store.warnings[0]).toMatch(/could not be read and were moved to/);
    const files = await readdir(dir);
    expect(files.some((f) => f.startsWith('profiles.json.unreadable-'))).toBe(true);
    await store.add(home);
    expect(await new ProfileStore(dir).list()).toHaveLength(1);
  });
});
