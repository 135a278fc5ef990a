import { describe, expect, it, vi } from 'vitest';
import type { TickPayload } from '../../../shared/domains/app';
import { createAppService } from './app-service';

describe('app service', () => {
  it('emits a tick every interval with an increasing sequence, and stops on dispose', () => {
    vi.useFakeTimers();
    try {
      const ticks: number[] = [];
      const service = createAppService({
        emit: (name, payload) => name === 'tick' && ticks.push((payload as TickPayload).seq),
        info: {
          name: 'PortPilot',
          version: '1.2.3',
          platform: 'linux',
          arch: 'x64',
          electronVersion: null,
          nodeVersion: '20',
        },
        tickMs: 1000,
      });
      vi.advanceTimersByTime(3500);
      expect(ticks).toEqual([1, 2, 3]);
      service.dispose();
      vi.advanceTimersByTime(5000);
      expect(ticks).toEqual([1, 2, 3]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports the transport of the caller', async () => {
    const service = createAppService({
      emit: () => {},
      info: {
        name: 'PortPilot',
        version: '1.2.3',
        platform: 'linux',
        arch: 'x64',
        electronVersion: null,
        nodeVersion: '20',
      },
    });
    expect((await service.info(undefined, { transport: 'websocket' })).transport).toBe('websocket');
    expect(await service.echo({ text: 'héllo' }, { transport: 'ipc' })).toEqual({ text: 'héllo', length: 5 });
    service.dispose();
  });
});
