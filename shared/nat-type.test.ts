import { describe, expect, it } from 'vitest';
import {
  natTypeLine,
  natTypeTerms,
  platformNatLabel,
  verdictFromBehaviour,
  verdictFromLevel,
  type FilteringBehaviour,
  type MappingBehaviour,
} from './nat-type';

const terms = (mapping: MappingBehaviour, filtering: FilteringBehaviour, extra = {}) =>
  natTypeTerms(verdictFromBehaviour({ mapping, filtering, ...extra }));

describe('console NAT terms from measured behaviour (sources in nat-type.ts)', () => {
  it.each([
    ['endpoint-independent', 'endpoint-independent', { xbox: 'Open', playstation: 'Type 2', switch: 'Type A' }],
    ['endpoint-independent', 'address-dependent', { xbox: 'Moderate', playstation: 'Type 2', switch: 'Type A' }],
    [
      'endpoint-independent',
      'address-and-port-dependent',
      { xbox: 'Moderate', playstation: 'Type 2', switch: 'Type B' },
    ],
    [
      'endpoint-independent',
      'not-measured',
      { xbox: 'Open or Moderate', playstation: 'Type 2', switch: 'Type A or B' },
    ],
    [
      'address-dependent',
      'address-and-port-dependent',
      { xbox: 'Strict', playstation: 'Type 3', switch: 'Type C or D' },
    ],
    ['no-nat', 'endpoint-independent', { xbox: 'Open', playstation: 'Type 1', switch: 'Type A' }],
    ['not-measured', 'not-measured', { xbox: 'not measured', playstation: 'not measured', switch: 'not measured' }],
  ] as const)('%s mapping, %s filtering', (mapping, filtering, expected) => {
    expect(terms(mapping, filtering)).toEqual(expected);
  });

  it('splits Switch C from D by how predictable the new ports are', () => {
    expect(terms('address-dependent', 'address-and-port-dependent', { portAllocation: 'sequential' }).switch).toBe(
      'Type C',
    );
    expect(terms('address-dependent', 'address-and-port-dependent', { portAllocation: 'random' }).switch).toBe(
      'Type D',
    );
  });

  it('a mapping proven to let unsolicited traffic in is Open for Xbox, Type A for Switch, and still Type 2 for PlayStation behind a router', () => {
    expect(terms('address-dependent', 'address-and-port-dependent', { inboundProven: true })).toEqual({
      xbox: 'Open',
      playstation: 'Type 2',
      switch: 'Type A',
    });
  });
});

describe('platform labels for the prediction use the same words', () => {
  it.each([
    ['playstation', 'open', 'Type 2'],
    ['playstation', 'moderate', 'Type 2'],
    ['playstation', 'strict', 'Type 3'],
    ['switch', 'open', 'NAT Type A'],
    ['switch', 'strict', 'NAT Type C or D'],
    ['xbox', 'moderate', 'Moderate'],
    ['steam', 'strict', 'Strict'],
  ] as const)('%s %s → %s', (platform, level, label) => {
    expect(platformNatLabel(platform, verdictFromLevel(level))).toBe(label);
  });

  it('a prediction and a measurement of the same level read the same', () => {
    const measured = natTypeTerms(
      verdictFromBehaviour({ mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' }),
    );
    expect(platformNatLabel('xbox', verdictFromLevel('moderate'))).toBe(measured.xbox);
    expect(platformNatLabel('playstation', verdictFromLevel('moderate'))).toBe(measured.playstation);
  });
});

describe('the line the screen and the CLI print', () => {
  it('names the platform’s own type, then what it means — never the internal level word', () => {
    expect(natTypeLine('playstation', 'open')).toBe('Type 2 — others can connect to it');
    expect(natTypeLine('playstation', 'moderate')).toBe('Type 2 — most games work, some players cannot connect to it');
    expect(natTypeLine('xbox', 'open')).toBe('Open — others can connect to it');
    expect(natTypeLine('switch', 'strict')).toBe('NAT Type C or D — it can only connect to players with an open NAT');
  });
});
