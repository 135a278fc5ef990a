import { describe, expect, it } from 'vitest';
import { systemMappingsClock } from './clock';
import { memoryFileStore } from './file-store';
import { CapabilityBook, MAX_ROUTERS, NOTHING_LEARNT } from './learned';

const R7 = { identity: 'HomeRouter', version: '7.19.2 (stable)' };

function book() {
  const files = memoryFileStore();
  return { files, book: new CapabilityBook(files, 'c.json', systemMappingsClock()) };
}

describe('CapabilityBook: what each router allowed the cleanup, per identity and RouterOS version', () => {
  it('remembers answers across instances (the file), per router key', async () => {
    const { files, book: a } = book();
    await a.record('HomeRouter@192.168.88.1:8728', R7, { dynamicRemove: 'refused', foreignAdd: 'allowed' });
    const b = new CapabilityBook(files, 'c.json', systemMappingsClock());
    expect(await b.get('HomeRouter@192.168.88.1:8728', R7)).toEqual({
      dynamicRemove: 'refused',
      foreignDelete: 'unknown',
      foreignAdd: 'allowed',
    });
    expect(await b.get('Office@10.0.0.1:8728', R7)).toEqual(NOTHING_LEARNT);
  });

  it('learns again when the identity or the RouterOS version changes', async () => {
    const { book: a } = book();
    await a.record('k', R7, { dynamicRemove: 'refused' });
    expect(await a.get('k', { ...R7, version: '7.20 (stable)' })).toEqual(NOTHING_LEARNT);
    expect(await a.get('k', { ...R7, identity: 'Renamed' })).toEqual(NOTHING_LEARNT);
    // Recording under the new version starts from nothing, not from the old answers.
    await a.record('k', { ...R7, version: '7.20 (stable)' }, { foreignDelete: 'allowed' });
    expect(await a.get('k', { ...R7, version: '7.20 (stable)' })).toEqual({
      ...NOTHING_LEARNT,
      foreignDelete: 'allowed',
    });
  });

  it('an unknown never overwrites a learnt answer; a new answer does', async () => {
    const { book: a } = book();
    await a.record('k', R7, { dynamicRemove: 'refused' });
    await a.record('k', R7, { dynamicRemove: 'unknown' });
    expect((await a.get('k', R7)).dynamicRemove).toBe('refused');
    await a.record('k', R7, { dynamicRemove: 'allowed' });
    expect((await a.get('k', R7)).dynamicRemove).toBe('allowed');
  });

  it('a damaged file means learning again; the number of routers is bounded', async () => {
    const { files, book: a } = book();
    files.files.set('c.json', '{"version":1,"routers":{"k":{"identity":5}}}');
    expect(await a.get('k', R7)).toEqual(NOTHING_LEARNT);
    for (let i = 0; i < MAX_ROUTERS + 5; i++) await a.record(`r${i}`, R7, { foreignAdd: 'refused' });
    const saved = JSON.parse(files.files.get('c.json') ?? '{}') as { routers: Record<string, unknown> };
    expect(Object.keys(saved.routers)).toHaveLength(MAX_ROUTERS);
  });
});
