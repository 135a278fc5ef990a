import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';
import { AUTOSTART_FILE, CLI_JOURNAL_FILE, DATA_FILES, DataDir, DEMO_ROUTER_FILES, historyFile } from './data-files';

const SAFE = /^[a-z0-9][a-z0-9.-]*$/;

describe('the data file table', () => {
  const names = [...Object.values(DATA_FILES), ...Object.values(DEMO_ROUTER_FILES), CLI_JOURNAL_FILE, AUTOSTART_FILE];

  it('names every file once, even on a case-insensitive file system', () => {
    const folded = names.map((n) => n.toLowerCase());
    expect(new Set(folded).size).toBe(names.length);
  });

  it('uses plain names (no separators, nothing a file system treats specially)', () => {
    for (const name of names) expect(name).toMatch(SAFE);
  });

  it('never lets a history file take a fixed name', () => {
    for (const key of ['profiles', 'secrets', 'config-journal', 'mappings-settings', 'demo-router', ''])
      expect(names).not.toContain(historyFile(key));
  });

  it('DataDir resolves each entry and each history file inside the config dir', () => {
    const data = new DataDir(join('/cfg', 'PortPilot'));
    expect(data.path('profiles')).toBe(join('/cfg', 'PortPilot', 'profiles.json'));
    expect(data.path('demoRouter')).toBe(join('/cfg', 'PortPilot', 'demo-router'));
    expect(data.historyPath('../../etc/passwd')).toBe(join('/cfg', 'PortPilot', historyFile('../../etc/passwd')));
  });
});

describe('historyFile', () => {
  const hostile = [
    '../../etc',
    '..\\..\\Windows\\System32',
    '/etc/passwd',
    'C:\\x',
    '.',
    '..',
    '',
    '   ',
    'CON',
    'nul.txt',
    'a\u0000b',
    'x'.repeat(10_000),
    '🛰️ routeur-café · 東京',
    '\ud800',
    'router\n.json',
  ];

  it.each(hostile)('makes a safe, bounded name for the key %j', (key) => {
    const name = historyFile(key);
    expect(name).toMatch(/^mappings-history-[a-z0-9-]+-[0-9a-f]{12}\.json$/);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).not.toMatch(/[/\\]|\.\./);
  });

  it('is stable for one key and keeps a readable slug', () => {
    expect(historyFile('MikroTik-Home@192.168.88.1')).toBe(historyFile('MikroTik-Home@192.168.88.1'));
    expect(historyFile('MikroTik-Home@192.168.88.1')).toMatch(/^mappings-history-mikrotik-home-192-168-88-1-/);
    expect(historyFile('demo-home-1a2b')).toMatch(/^mappings-history-demo-home-1a2b-/);
    expect(historyFile('routeur-café')).toMatch(/^mappings-history-routeur-cafe-/);
  });

  it('gives keys that slug alike their own files', () => {
    const alike = [
      'a.b',
      'a-b',
      'a_b',
      'a b',
      'A.B',
      'a..b',
      'a-b-',
      '-a-b',
      'é',
      'e',
      'e\u0301',
      '\ud800',
      '\ud801',
      '\ufffd',
      'x'.repeat(100),
      `${'x'.repeat(100)}y`,
      'demo-home-1',
      'demo-home-2',
    ];
    const files = alike.map(historyFile);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(alike.length);
  });

  it('names files a real file system accepts, each apart from the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pp-history-'));
    try {
      const data = new DataDir(dir);
      for (const key of hostile) await writeFileAtomic(data.historyPath(key), key);
      expect((await readdir(dir)).sort()).toEqual(hostile.map(historyFile).sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
