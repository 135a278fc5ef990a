import { describe, expect, it } from 'vitest';
import { parseWatchPorts } from '../../shared/domains/alerts';
import { DEFAULT_SETTINGS, settingsSchema, type MappingsSettings } from '../../shared/domains/mappings';
import { alertFor } from './alert-rules';
import { mappingView } from './testing/views';

const known = { newHost: false, vendorsLoaded: true };
const only = (patch: Partial<MappingsSettings>): MappingsSettings => ({
  ...DEFAULT_SETTINGS,
  notifyPrivileged: false,
  notifyNewHost: false,
  notifyWatchedPort: false,
  notifyUnknownVendor: false,
  ...patch,
});

describe('alert rules: which new mapping matters', () => {
  it('an ordinary mapping from a known device of a known maker is not an alert', () => {
    expect(alertFor(mappingView({ externalPort: 6881 }), known, DEFAULT_SETTINGS)).toBeNull();
  });

  it('a privileged port (< 1024) matters, 1024 does not', () => {
    const s = only({ notifyPrivileged: true });
    expect(alertFor(mappingView({ externalPort: 1023 }), known, s)?.reasons).toEqual(['privileged-port']);
    expect(alertFor(mappingView({ externalPort: 1024 }), known, s)).toBeNull();
  });

  it('a port on the watch list matters, ranges included', () => {
    const s = only({ notifyWatchedPort: true, watchPorts: '3389, 5900-5910' });
    expect(alertFor(mappingView({ externalPort: 3389 }), known, s)?.reasons).toEqual(['watched-port']);
    expect(alertFor(mappingView({ externalPort: 5905 }), known, s)?.reasons).toEqual(['watched-port']);
    expect(alertFor(mappingView({ externalPort: 5911 }), known, s)).toBeNull();
    expect(alertFor(mappingView({ externalPort: 3389 }), known, { ...s, watchPorts: '' })).toBeNull();
  });

  it('a device never seen before matters', () => {
    const s = only({ notifyNewHost: true });
    expect(alertFor(mappingView({ externalPort: 6881 }), { ...known, newHost: true }, s)?.reasons).toEqual([
      'new-host',
    ]);
    expect(alertFor(mappingView({ externalPort: 6881 }), known, s)).toBeNull();
  });

  it('an unknown MAC vendor matters once the vendor table is loaded, but not a private (randomised) MAC', () => {
    const s = only({ notifyUnknownVendor: true });
    const owner = { ...mappingView({ externalPort: 1 }).owner, vendor: null };
    const unknown = mappingView({ externalPort: 6881, owner: { ...owner, mac: '00:1B:FF:00:00:01' } });
    expect(alertFor(unknown, known, s)?.reasons).toEqual(['unknown-vendor']);
    expect(alertFor(unknown, { ...known, vendorsLoaded: false }, s)).toBeNull();
    const randomised = mappingView({ externalPort: 6881, owner: { ...owner, mac: 'DA:A1:19:00:00:01' } });
    expect(alertFor(randomised, known, s)).toBeNull();
    const noMac = mappingView({ externalPort: 6881, owner: { ...owner, mac: null } });
    expect(alertFor(noMac, known, s)).toBeNull();
  });

  it('keeps every reason in a fixed order, groups by MAC (else address) and says what opened', () => {
    const view = mappingView({ externalPort: 22, description: 'ssh' });
    const a = alertFor(view, { newHost: true, vendorsLoaded: true }, DEFAULT_SETTINGS)!;
    expect(a.reasons).toEqual(['privileged-port', 'watched-port', 'new-host']);
    expect(a).toMatchObject({
      mappingId: 'tcp/22',
      port: 'TCP 22',
      device: { key: '3C:22:FB:00:00:01', label: 'alex-laptop', address: '192.168.88.20' },
      what: 'TCP 22 → alex-laptop (192.168.88.20):22 "ssh"',
    });
    const anonymous = mappingView({ externalPort: 22, owner: { ...view.owner, hostName: null, mac: null } });
    expect(alertFor(anonymous, known, DEFAULT_SETTINGS)!.device).toEqual({
      key: '192.168.88.20',
      label: '192.168.88.20',
      address: '192.168.88.20',
    });
  });
});

describe('the watch list setting', () => {
  it('accepts ports and ranges with spaces, and an empty list', () => {
    expect(parseWatchPorts(' 22, 3389 ,5900 - 5910')).toEqual([
      [22, 22],
      [3389, 3389],
      [5900, 5910],
    ]);
    expect(parseWatchPorts('')).toEqual([]);
  });

  it.each(['0', '65536', '80-79', 'ssh', '22,,23', '22;23', '1-2-3', `${'1,'.repeat(200)}1`])('refuses %j', (text) =>
    expect(parseWatchPorts(text)).toBeNull(),
  );

  it('is checked by the settings schema with a hint for people', () => {
    const r = settingsSchema.partial().safeParse({ watchPorts: '22, rdp' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/e\.g\. 22, 3389, 5900-5910/);
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });
});
