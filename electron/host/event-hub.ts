import type { DomainDef, EventSink, WireCodec } from '../../shared/contract/define';
import { eventChannel } from '../../shared/contract/define';

export type EventListener = (channel: string, payload: unknown) => void;

/**
 * Services publish events through a per-domain sink; each host (Electron IPC, web-mode WebSocket)
 * subscribes once and fans events out to its windows or sockets. Those transports subscribe with
 * `subscribeWire` and get the payload in its wire form (the event's codec, encoded once per event);
 * listeners inside main (tray, notifications) get it as published.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly wireListeners = new Set<EventListener>();

  sink<D extends DomainDef>(domain: D): EventSink<D> {
    return (name, payload) =>
      this.publish(eventChannel(domain.name, name), payload, domain.events[name]?.wire as WireCodec<unknown>);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For a transport to the renderer: payloads in their wire form (the contract's client decodes them). */
  subscribeWire(listener: EventListener): () => void {
    this.wireListeners.add(listener);
    return () => this.wireListeners.delete(listener);
  }

  private publish(channel: string, payload: unknown, wire: WireCodec<unknown> | undefined): void {
    for (const listener of this.listeners) listener(channel, payload);
    if (this.wireListeners.size === 0) return;
    const encoded = wire ? wire.encode(payload) : payload;
    for (const listener of this.wireListeners) listener(channel, encoded);
  }
}
