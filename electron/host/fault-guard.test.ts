import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createFaultHandler, installFaultGuard, type ProcessFault } from './fault-guard';

const at = new Date('2026-01-02T03:04:05Z');

function harness(recover?: (f: ProcessFault) => void | Promise<void>) {
  const lines: string[] = [];
  const proc = new EventEmitter();
  const uninstall = installFaultGuard(proc, { log: (l) => lines.push(l), recover, now: () => at });
  return { lines, proc, uninstall };
}

describe('installFaultGuard', () => {
  it('logs an uncaught exception with its stack, drops the session, and keeps going', async () => {
    const faults: ProcessFault[] = [];
    const { lines, proc } = harness((f) => void faults.push(f));
    const err = Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), {
      code: 'ERR_STRING_TOO_LONG',
    });
    // With a listener, emitting 'uncaughtException' does not throw (without one it would end the process).
    expect(() => proc.emit('uncaughtException', err)).not.toThrow();
    expect(lines[0]).toBe(
      'uncaught exception: ERR_STRING_TOO_LONG: Cannot create a string longer than 0x1fffffe8 characters',
    );
    expect(lines[1]).toContain('fault-guard.test.ts');
    expect(faults).toEqual([
      {
        kind: 'uncaughtException',
        message: 'ERR_STRING_TOO_LONG: Cannot create a string longer than 0x1fffffe8 characters',
        stack: err.stack,
        at: at.toISOString(),
      },
    ]);
  });

  it('logs an unhandled rejection whatever its reason is', async () => {
    const faults: ProcessFault[] = [];
    const { lines, proc } = harness((f) => void faults.push(f));
    proc.emit('unhandledRejection', { errno: 'SOCKTMOUT' });
    await new Promise((r) => setImmediate(r));
    proc.emit('unhandledRejection', undefined);
    expect(lines).toEqual(['unhandled rejection: {"errno":"SOCKTMOUT"}', 'unhandled rejection: undefined']);
    expect(faults.map((f) => f.kind)).toEqual(['unhandledRejection', 'unhandledRejection']);
  });

  it('a failing recovery is logged, never rethrown, and does not block the next one', async () => {
    let calls = 0;
    const { lines, proc } = harness(async () => {
      calls++;
      throw new Error('disconnect failed');
    });
    proc.emit('uncaughtException', new Error('first'));
    await new Promise((r) => setImmediate(r));
    expect(lines).toContain('recovering from the fault failed too: disconnect failed');
    proc.emit('uncaughtException', new Error('second'));
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
  });

  it('a fault during a recovery that is still running is logged but does not start another', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const { lines, proc } = harness(() => {
      calls++;
      return new Promise<void>((r) => (release = r));
    });
    proc.emit('uncaughtException', new Error('one'));
    proc.emit('uncaughtException', new Error('two'));
    expect(calls).toBe(1);
    expect(lines.filter((l) => l.startsWith('uncaught exception'))).toHaveLength(2);
    release();
    await new Promise((r) => setImmediate(r));
    proc.emit('uncaughtException', new Error('three'));
    expect(calls).toBe(2);
  });

  it('a throwing logger or recover cannot turn a fault into a crash', () => {
    const handle = createFaultHandler({
      log: () => {
        throw new Error('stderr closed');
      },
      recover: () => {
        throw new Error('sync failure');
      },
    });
    expect(() => handle('uncaughtException', new Error('x'))).not.toThrow();
  });

  it('uninstall removes both listeners', () => {
    const { proc, uninstall } = harness();
    expect(proc.listenerCount('uncaughtException')).toBe(1);
    expect(proc.listenerCount('unhandledRejection')).toBe(1);
    uninstall();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});
