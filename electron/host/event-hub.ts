import type { DomainDef, EventSink } from '../../shared/contract/define';
import { eventChannel } from '../../shared/contract/define';

export type EventListener = (channel: string, payload: unknown) => void;

/**
 * Services publish events through a per-domain sink; each host (Electron IPC, web-mode WebSocket)
 * subscribes once and fans events out to its windows or sockets.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  sink<D extends DomainDef>(domain: D): EventSink<D> {
    return (name, payload) => this.publish(eventChannel(domain.name, name), payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(channel: string, payload: unknown): void {
    for (const listener of this.listeners) listener(channel, payload);
  }
}
