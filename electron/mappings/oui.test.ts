import { describe, expect, it } from 'vitest';
import { createOuiLoader, isRandomizedMac, lookupFrom } from './oui';
import { indexOui } from './oui-index';

describe('OUI vendor lookup (oui-data)', () => {
  it('escapes inside vendor names, and random (locally administered) MACs', () => {
    const table = indexOui(
      Buffer.from('{"AABBCC": "Caf\\u00e9 \\"Q\\" Ltd\\nStreet 1", "001132": "Synology Incorporated\\nTaipei"}'),
    );
    expect(table.get('AABBCC')).toBe('Café "Q" Ltd');
    const lookup = lookupFrom(table);
    expect(lookup('00:11:32:AB:CD:EF')).toBe('Synology Incorporated');
    expect(lookup('02:11:32:AB:CD:EF')).toBe('private (randomized) address');
    expect(isRandomizedMac('DA:A1:19:00:00:01')).toBe(true);
    expect(lookup(null)).toBeNull();
    const blocks = lookupFrom(
      new Map([
        ['001BC5', 'IEEE Registration Authority'],
        ['001BC5001', 'Small Maker'],
      ]),
    );
    expect(blocks('00:1B:C5:00:10:00')).toBe('Small Maker');
    expect(blocks('00:1B:C5:99:10:00')).toBe('IEEE Registration Authority');
  });

  it('loads once and answers the scenario vendors', async () => {
    const loader = createOuiLoader();
    expect(loader.ready()).toBeNull();
    const [a, b] = await Promise.all([loader.load(), loader.load()]);
    expect(a).toBe(b);
    expect(a('70:9E:29:00:00:01')).toMatch(/Sony Interactive/);
    expect(a('48:A9:8A:00:00:01')).toMatch(/Routerboard/);
  });
});
