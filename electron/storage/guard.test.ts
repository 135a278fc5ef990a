import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUTOSTART_FILE, CLI_JOURNAL_FILE, DATA_FILES, DEMO_ROUTER_FILES } from './data-files';

/*
 * storage/ is the only place that writes or renames files (one atomic write), and data-files.ts the only
 * place that spells a data file's name (issue 17: both used to be repeated in six places). Tests may
 * do either: they make fixtures and check what is on disk.
 */
const electronDir = fileURLToPath(new URL('..', import.meta.url));
const sources = readdirSync(electronDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith(`storage${sep}`))
  .map((f) => ({
    file: relative(electronDir, join(electronDir, f)),
    text: readFileSync(join(electronDir, f), 'utf8'),
  }));

/** `rename(`, `fs.writeFileSync (`, `handle.appendFile(`…: a file written or moved by hand. */
const HAND_WRITE = /\b(?:rename|writeFile|appendFile)(?:Sync)?\s*\(/;

function offending(pattern: RegExp): string[] {
  return sources.flatMap(({ file, text }) =>
    text.split('\n').flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('storage is the one way to write a data file', () => {
  it('finds the sources it checks', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.some((s) => s.file === join('plans', 'journal.ts'))).toBe(true);
  });

  it('recognises a hand-written atomic write', () => {
    expect(HAND_WRITE.test('await rename(tmp, path);')).toBe(true);
    expect(HAND_WRITE.test('fs.renameSync (tmp, path)')).toBe(true);
    expect(HAND_WRITE.test('await writeFile(tmp, text, { mode: 0o600 });')).toBe(true);
    expect(HAND_WRITE.test('await writeFileAtomic(path, text);')).toBe(false);
  });

  it('has no rename or writeFile outside electron/storage (use writeFileAtomic / moveAside)', () => {
    expect(offending(HAND_WRITE)).toEqual([]);
  });

  it('spells each data file name only in storage/data-files.ts (use DATA_FILES / historyFile)', () => {
    const names = [...Object.values(DATA_FILES), ...Object.values(DEMO_ROUTER_FILES), CLI_JOURNAL_FILE, AUTOSTART_FILE];
    const quoted = names.map((n) => n.replace(/[.-]/g, (c) => `\\${c}`)).join('|');
    // A whole quoted name, or a name built from the history prefix.
    const pattern = new RegExp(`['"\`](?:${quoted})['"\`]|mappings-history-`);
    expect(pattern.test("join(dir, 'profiles.json')")).toBe(true);
    expect(offending(pattern)).toEqual([]);
  });
});
