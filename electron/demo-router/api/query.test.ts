import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QueryError, applyProplist, compileQuery, proplistKeys } from './query';
import type { Row } from '../api-device';

const rowArb: fc.Arbitrary<Row> = fc.record(
  { a: fc.constantFrom('1', '2', '10'), b: fc.constantFrom('x', 'y'), c: fc.constantFrom('', 'z') },
  { requiredKeys: [] },
);

describe('compileQuery', () => {
  it('matches everything with no query words', () => {
    expect(compileQuery([])({})).toBe(true);
  });

  it('follows boolean algebra: ! negates, De Morgan holds, . duplicates, 0 copies the top', () => {
    fc.assert(
      fc.property(rowArb, (row) => {
        const p = compileQuery(['?a=1'])(row);
        const q = compileQuery(['?b=x'])(row);
        expect(compileQuery(['?a=1', '?#!'])(row)).toBe(!p);
        expect(compileQuery(['?a=1', '?b=x', '?#|!'])(row)).toBe(!p && !q);
        expect(compileQuery(['?a=1', '?#!', '?b=x', '?#!&'])(row)).toBe(!(p || q));
        expect(compileQuery(['?a=1', '?#.&'])(row)).toBe(p);
        expect(compileQuery(['?a=1', '?#0|'])(row)).toBe(p);
        // Without ?#, every pushed value must hold (implicit AND of the stack).
        expect(compileQuery(['?a=1', '?b=x'])(row)).toBe(p && q);
        // ?name and ?-name are complements.
        expect(compileQuery(['?c'])(row)).toBe(!compileQuery(['?-c'])(row));
      }),
    );
  });

  it('compares numbers numerically, ids by hex value, other text lexically', () => {
    expect(compileQuery(['?<a=9'])({ a: '10' })).toBe(false);
    expect(compileQuery(['?>a=9'])({ a: '10' })).toBe(true);
    expect(compileQuery(['?>.id=*9'])({ '.id': '*1A' })).toBe(true);
    expect(compileQuery(['?<b=ether2'])({ b: 'ether10' })).toBe(true);
    expect(compileQuery(['?<a=5'])({})).toBe(false); // absent never compares
    expect(compileQuery(['?>a=5'])({})).toBe(false);
  });

  it('keeps = inside values and accepts the explicit ?= form', () => {
    expect(compileQuery(['?comment=a=b'])({ comment: 'a=b' })).toBe(true);
    expect(compileQuery(['?=comment=a=b'])({ comment: 'a=b' })).toBe(true);
    expect(compileQuery(['?=comment=a'])({ comment: 'a=b' })).toBe(false);
  });

  it.each([
    [['?a=1', '?#&']], // & needs two values
    [['?#!']], // ! needs one
    [['?a=1', '?#1']], // only index 0 exists
    [['?a=1', '?#x']], // unknown operation
    [['?<a']], // comparison without a value
    [['?']],
    [['?-']],
  ])('refuses %j', (words) => {
    expect(() => compileQuery(words)).toThrow(QueryError);
  });
});

describe('applyProplist', () => {
  it('keeps only the listed keys in the listed order', () => {
    expect(applyProplist({ '.id': '*1', a: '1', b: '2' }, 'b,.id,zz')).toEqual({ b: '2', '.id': '*1' });
    expect(Object.keys(applyProplist({ '.id': '*1', a: '1', b: '2' }, 'b,.id'))).toEqual(['b', '.id']);
    expect(applyProplist({ a: '1' }, undefined)).toEqual({ a: '1' });
  });
});

describe('proplistKeys', () => {
  it('keeps the asked order, drops empty names and repeats (a repeat does not move a key)', () => {
    expect(proplistKeys('b,.id,,b,zz')).toEqual(['b', '.id', 'zz']);
    expect(applyProplist({ '.id': '*1', b: '2' }, 'b,.id,b')).toEqual({ b: '2', '.id': '*1' });
  });
});
