import { describe, expect, it } from 'vitest';
import type { Row } from '../../stores/mappings';
import { CSV_HEADER, csvCell, csvFileName, mappingsCsv } from './csv';

const row = (over: Partial<Row> = {}): Row =>
  ({
    id: 'tcp/32400',
    protocol: 'tcp',
    externalPort: 32400,
    internalAddress: '192.168.88.10',
    internalPort: 32400,
    description: 'Plex Media Server',
    source: 'upnp',
    owner: { hostName: 'plex-server', mac: 'AC:89:95:00:00:01', vendor: 'Synology', interface: 'bridge-lan' },
    firstSeenAt: 0,
    knownSinceAt: 0,
    lastTrafficAt: null,
    status: 'active',
    staleReasons: [],
    mark: null,
    ...over,
  }) as Row;

describe('Mappings CSV', () => {
  it('quotes cells with a comma, a quote or a line break, doubling quotes (RFC 4180 §2)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(32400)).toBe('32400');
  });

  it('neutralises a description that a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'])
      expect(csvCell(evil).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes a header and one CRLF line per row shown, in order, in the screen’s words', () => {
    const evil = row({ id: 'udp/9', protocol: 'udp', externalPort: 9, description: '=cmd|"/c calc"!A1' });
    const csv = mappingsCsv([row(), evil], 0);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[1]).toBe(
      'TCP,32400,plex-server,192.168.88.10,AC:89:95:00:00:01,Synology,32400,Plex Media Server,UPnP,bridge-lan,Permanent,0s,none seen,Active,',
    );
    expect(lines[2]).toContain(`,"'=cmd|""/c calc""!A1",`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('names the file by the local date and time', () => {
    expect(csvFileName(new Date(2025, 0, 31, 14, 5))).toBe('portpilot-mappings-2025-01-31-1405.csv');
  });
});
