import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDomain, method } from '../../shared/contract/define';
import { ContractError } from '../../shared/contract/result';
import { domainList } from '../../shared/domains';
import { testServices } from '../../tests/support/services';
import { createDispatcher } from './dispatcher';

const demo = defineDomain({
  name: 'demo',
  methods: {
    setPort: method<z.ZodObject<{ port: z.ZodNumber }>, number>(z.object({ port: z.number().int().min(1).max(65535) })),
    fails: method<z.ZodUndefined, never>(z.undefined()),
    crashes: method<z.ZodUndefined, never>(z.undefined()),
    undeclared: method<z.ZodUndefined, never>(z.undefined()),
  },
  events: {},
  errorCodes: ['router-refused'],
});

const service = {
  setPort: async ({ port }: { port: number }) => port,
  fails: async () => {
    throw new ContractError('router-refused', 'The router said no.', { trap: 'x' });
  },
  crashes: async () => {
    throw new TypeError('boom');
  },
  undeclared: async () => {
    throw new ContractError('not-in-the-union', 'should not leak its code');
  },
};
const ctx = { transport: 'websocket' as const };

describe('contract dispatcher', () => {
  const logs: string[] = [];
  const dispatcher = createDispatcher([demo], { demo: service }, (l) => logs.push(l));

  it('derives one channel per declared method', () => {
    expect(dispatcher.channels).toEqual(['demo:setPort', 'demo:fails', 'demo:crashes', 'demo:undeclared']);
  });

  it('calls the service with validated input', async () => {
    expect(await dispatcher.call('demo:setPort', { port: 8080 }, ctx)).toEqual({ ok: true, value: 8080 });
  });

  it('rejects bad input with a validation error naming the field, without calling the service', async () => {
    const result = await dispatcher.call('demo:setPort', { port: 70000 }, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation');
    expect(result.error.message).toMatch(/^Invalid input — port: /);
    expect(result.error.detail).toEqual({ issues: [{ field: 'port', message: expect.any(String) }] });
  });

  it('rejects an unknown channel', async () => {
    const result = await dispatcher.call('demo:dropTables', {}, ctx);
    expect(result).toEqual({
      ok: false,
      error: { code: 'unknown-method', message: 'No such method: demo:dropTables' },
    });
  });

  it('returns a thrown ContractError as {ok:false} with its code and detail', async () => {
    expect(await dispatcher.call('demo:fails', undefined, ctx)).toEqual({
      ok: false,
      error: { code: 'router-refused', message: 'The router said no.', detail: { trap: 'x' } },
    });
  });

  it('turns any other throw, or a code outside the closed union, into internal', async () => {
    const crash = await dispatcher.call('demo:crashes', undefined, ctx);
    expect(crash).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('boom') } });
    const leak = await dispatcher.call('demo:undeclared', undefined, ctx);
    expect(leak).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logs.some((l) => l.includes('boom'))).toBe(true);
  });

  it('refuses to build when a declared method has no handler', () => {
    expect(() => createDispatcher([demo], { demo: { setPort: service.setPort } })).toThrow(
      /demo\.fails has no handler/,
    );
  });

  it('binds every method of the real contract to a service', async () => {
    const { services, dispose } = testServices();
    try {
      const real = createDispatcher(domainList, services);
      const declared = domainList.flatMap((d) => Object.keys(d.methods).map((m) => `${d.name}:${m}`));
      expect([...real.channels].sort()).toEqual(declared.sort());
      expect(await real.call('app:info', undefined, { transport: 'ipc' })).toMatchObject({
        ok: true,
        value: { name: 'PortPilot', transport: 'ipc', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
      });
      expect(await real.call('app:setBackground', { closeToTray: 'yes' }, ctx)).toMatchObject({
        ok: false,
        error: { code: 'validation', message: expect.stringContaining('closeToTray') },
      });
    } finally {
      dispose();
    }
  });
});
