import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ouiDataPath } from './oui';
import { indexOui } from './oui-index';

/** The regex scan over the decoded text that indexOui replaced (issue 14): the reference it must equal. */
function regexParse(text: string): Map<string, string> {
  const table = new Map<string, string>();
  const entry = /"([0-9A-Fa-f]{6,9})"\s*:\s*"((?:[^"\\]|\\[^n])*)/g;
  for (let m = entry.exec(text); m; m = entry.exec(text)) {
    const raw = m[2] ?? '';
    table.set((m[1] ?? '').toUpperCase(), raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw);
  }
  return table;
}

/** The entries of `text` the index gets wrong (at most five), against the regex scan. */
function mismatches(text: string): Array<[string, string | undefined, string]> {
  const index = indexOui(Buffer.from(text, 'utf8'));
  const reference = regexParse(text);
  const wrong: Array<[string, string | undefined, string]> = [];
  for (const [oui, vendor] of reference) {
    // Either case of the same digits finds the entry.
    for (const asked of [oui, oui.toLowerCase()]) {
      const got = index.get(asked);
      if (got !== vendor) wrong.push([asked, got, vendor]);
    }
  }
  if (index.size !== reference.size) wrong.push(['(size)', String(index.size), String(reference.size)]);
  return wrong.slice(0, 5);
}

describe('indexOui (the OUI registry indexed over its bytes)', () => {
  it('answers every entry of the real registry as the regex scan did, and JSON.parse agrees', async () => {
    const text = await readFile(ouiDataPath(), 'utf8');
    expect(mismatches(text)).toEqual([]);
    const index = indexOui(Buffer.from(text, 'utf8'));
    const full = JSON.parse(text) as Record<string, string>;
    expect(index.size).toBe(Object.keys(full).length);
    for (const [oui, value] of Object.entries(full)) expect(index.get(oui)).toBe(value.split('\n')[0]);
  });

  it('odd entries: escapes, UTF-8, spacing, bad or duplicate keys, truncation', () => {
    const cases = [
      '{"AABBCC": "Caf\\u00e9 \\"Q\\" Ltd\\nStreet 1", "001132": "Synology\\nTaipei"}',
      '{"aabbcc":"lower\\nx","AABBCCDDE" : \t"nine",\n"AABBCCD"\r\n:\n"seven\\n"}',
      '{"ABCDE": "too short", "ABCDEF0123": "too long", "GHIJKL": "not hex", "ABCDEF" "no colon"}',
      '{"ABCDEF": "Müller Straße GmbH\\nBerlin", "ABCDF0": "日本電気\\n東京"}',
      '{"ABCDEF": "back\\\\slash\\nx", "ABCDF0": "tab\\tin\\nx", "ABCDF1": "ends in \\',
      '{"ABCDEF": "first\\nx", "abcdef": "second\\ny"}',
      '{"ABCDEF": "address \\"123456\\": \\"inside\\" a value"}',
      '{"ABCDEF": "unterminated',
      '{"ABCDEF": ',
      '',
    ];
    for (const text of cases) expect(mismatches(text), text).toEqual([]);
  });

  it('generated registries: the same answers as the regex scan', () => {
    const key = fc.stringMatching(/^[0-9A-Fa-fG]{5,10}$/);
    const value = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => JSON.stringify(s).slice(1, -1));
    const entry = fc.tuple(key, fc.constantFrom(':', ' : ', '\t:\n', ''), value, value);
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), (entries) => {
        const text = `{${entries.map(([k, colon, v, rest]) => `"${k}"${colon}"${v}\\n${rest}"`).join(',\n')}}`;
        expect(mismatches(text)).toEqual([]);
      }),
    );
  });

  it('OUIs it does not list, or that are not 6-9 hex digits, have no vendor', () => {
    const index = indexOui(Buffer.from('{"001BC5": "IEEE Registration Authority\\nx", "001BC5001": "Small\\ny"}'));
    expect(index.get('001BC5')).toBe('IEEE Registration Authority');
    expect(index.get('001BC5001')).toBe('Small');
    expect(index.get('0001BC5')).toBeUndefined();
    expect(index.get('001BC50')).toBeUndefined();
    expect(index.get('001BC')).toBeUndefined();
    expect(index.get('001BC5001A')).toBeUndefined();
    expect(index.get('00:1BC5')).toBeUndefined();
  });
});
