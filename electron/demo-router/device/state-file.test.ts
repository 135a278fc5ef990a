import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDevice } from '../index';
import { cmd } from './scenarios/base';
import { attachStateWriter, loadState, StateFileError } from './state-file';

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };
const dirs: string[] = [];
async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'demo-router-state-'));
  dirs.push(dir);
  return join(dir, 'sub', 'state.json');
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('state file', () => {
  it('round-trips configuration across a restart, without dynamic mappings', async () => {
    const path = await tempFile();
    const dev = await buildDevice({ scenario: 'home', stateFile: path });
    const writer = attachStateWriter(dev, path, { debounceMs: 5 });
    cmd(dev, '/system/identity', 'set', { name: 'Persisted' });
    cmd(dev, '/ip/upnp/interfaces', 'add', { interface: 'ether4', type: 'internal' });
    cmd(dev, '/ip/firewall/nat', 'add', {
      chain: 'dstnat',
      action: 'dst-nat',
      protocol: 'tcp',
      'dst-port': '443',
      'to-addresses': '192.168.88.10',
      comment: 'web',
    });
    await writer.close();
    const text = await readFile(path, 'utf8');
    expect(text).toContain('Persisted');
    expect(text).not.toContain('"dynamic": "true"');
    const again = await buildDevice({ scenario: 'home', stateFile: path });
    expect(again.print('/system/identity', {}, ctx)[0]?.name).toBe('Persisted');
    expect(again.print('/ip/upnp/interfaces', {}, ctx).map((r) => r.interface)).toContain('ether4');
    expect(
      again
        .print('/ip/firewall/nat', {}, ctx)
        .filter((r) => r.dynamic !== 'true')
        .map((r) => r.comment),
    ).toEqual(['defconf: masquerade', 'web']);
    expect(again.backend.list('upnp')).toEqual([]);
    const id = again.command('/ip/firewall/filter', 'add', { chain: 'input' }, ctx).ret;
    const lastSaved = Math.max(
      ...JSON.parse(text).tables['/ip/firewall/filter'].rows.map((r: { '.id': string }) =>
        parseInt(r['.id'].slice(1), 16),
      ),
    );
    expect(parseInt(id?.slice(1) ?? '0', 16)).toBeGreaterThan(lastSaved);
  });

  it('debounces writes and leaves no temporary file', async () => {
    const path = await tempFile();
    const dev = await buildDevice({ scenario: 'fresh' });
    const writer = attachStateWriter(dev, path, { debounceMs: 20 });
    for (let i = 0; i < 50; i++) cmd(dev, '/system/identity', 'set', { name: `n${i}` });
    await new Promise((r) => setTimeout(r, 80));
    expect(JSON.parse(await readFile(path, 'utf8')).tables['/system/identity'].rows[0].name).toBe('n49');
    await writer.close();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(path, '..'))).toEqual(['state.json']);
  });

  it('a missing file is a first start; a broken one is a clear error', async () => {
    const path = await tempFile();
    expect(await loadState(path)).toBeNull();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, '{"version":2}');
    await expect(loadState(path)).rejects.toBeInstanceOf(StateFileError);
    await writeFile(path, 'not json');
    await expect(loadState(path)).rejects.toThrow(/is not JSON/);
  });
});
