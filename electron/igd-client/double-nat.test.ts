import { describe, expect, it } from 'vitest';
import { classifyIPv4 } from '../net/ipv4';
import { assessDoubleNat } from './double-nat';
import { IgdSoapFault, NatPmpResultError } from './errors';

describe('double NAT assessment', () => {
  it('classifies addresses by RFC 6890', () => {
    expect(
      [
        '',
        '10.1.2.3',
        '172.16.0.1',
        '172.32.0.1',
        '192.168.88.1',
        '100.64.0.1',
        '100.128.0.1',
        '203.0.113.4',
        '8.8.8.8',
        '1.2.3',
      ].map(classifyIPv4),
    ).toEqual(['empty', 'private', 'private', 'public', 'private', 'cgnat', 'public', 'reserved', 'public', 'invalid']);
  });

  it('collects every piece of evidence, and none for a public, consistent gateway', () => {
    const a = assessDoubleNat({
      igdExternalIp: '',
      igdAddError: new IgdSoapFault(501, 'Action Failed', 'AddPortMapping'),
      natpmpError: new NatPmpResultError(3),
    });
    expect(a.suspected).toBe(true);
    expect(a.findingId).toBe('double-nat');
    expect(a.evidence.map((e) => e.source)).toEqual(['igd-external-ip', 'igd-add-mapping', 'natpmp-network-failure']);
    expect(assessDoubleNat({ igdExternalIp: '100.72.1.9' }).evidence[0]?.detail).toContain('carrier-grade NAT');
    expect(
      assessDoubleNat({
        igdExternalIp: '8.8.4.4',
        igdAddError: new IgdSoapFault(718, 'ConflictInMappingEntry', 'AddPortMapping'),
        natpmpExternalAddress: '8.8.4.4',
        routerWanAddress: '8.8.4.4',
      }).suspected,
    ).toBe(false);
    expect(
      assessDoubleNat({ igdExternalIp: '8.8.4.4', routerWanAddress: '9.9.9.9' }).evidence.map((e) => e.source),
    ).toEqual(['router-wan-mismatch']);
  });
});
