import type { Row } from '../../stores/mappings';
import { ageLabel, idleLabel, leaseLabel, sourceLabel, STATUS_LABELS } from './columns';

/**
 * The Mappings table as CSV (RFC 4180): the rows shown, in the order shown, with the columns' words.
 * Descriptions and host names come from devices on the LAN, so every cell is untrusted: a cell that
 * a spreadsheet would run as a formula (it starts with = + - @, or a tab or carriage return) gets a
 * leading apostrophe, as OWASP's "CSV Injection" advice says; quotes are doubled inside quoted cells.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised if it could start a formula, quoted if it holds a comma, quote or line break. */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = [
  'Protocol',
  'Public port',
  'Device',
  'Address',
  'MAC address',
  'Vendor',
  'Device port',
  'Description',
  'Opened via',
  'Interface',
  'Lease',
  'Known for',
  'Idle',
  'Status',
  'Why stale',
];

function csvRow(r: Row, now: number, upnpLeasesExpire: boolean): Array<string | number | null> {
  return [
    r.protocol.toUpperCase(),
    r.externalPort,
    r.owner.hostName,
    r.internalAddress,
    r.owner.mac,
    r.owner.vendor,
    r.internalPort,
    r.description,
    sourceLabel(r),
    r.owner.interface,
    leaseLabel(r, upnpLeasesExpire).text,
    ageLabel(r, now),
    idleLabel(r, now),
    STATUS_LABELS[r.status],
    r.staleReasons.map((s) => s.detail).join('; '),
  ];
}

/** The whole file: a header line, then a line per row, CRLF-separated as RFC 4180 §2 asks. */
export function mappingsCsv(rows: readonly Row[], now: number, upnpLeasesExpire = false): string {
  const lines = [CSV_HEADER.map(csvCell).join(',')];
  for (const r of rows) lines.push(csvRow(r, now, upnpLeasesExpire).map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `portpilot-mappings-2025-01-31-1405.csv`, in local time. */
export function csvFileName(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `portpilot-mappings-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}.csv`;
}
