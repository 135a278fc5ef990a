import type { z } from 'zod';
import type { Result, TransportErrorCode } from './result';

/**
 * A domain API is declared once (methods with zod input schemas and an output type, events, a closed
 * union of error codes). Channel names, the main-side binding, the preload bridge and the WebSocket
 * client are all derived from the declaration, so no channel string is ever typed twice
 * (STYLE.md: VS Code's ProxyChannel).
 */
export interface MethodDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Phantom: carries the output type only. */
  readonly _output?: O;
  /** How the output travels between main and the renderer, when not as itself (WireCodec). */
  readonly wire?: WireCodec<O>;
}

export interface EventDef<P = unknown> {
  readonly _payload?: P;
  /** How the payload travels between main and the renderer, when not as itself (WireCodec). */
  readonly wire?: WireCodec<P>;
}

/**
 * A compact form of a large payload for the trip over IPC or the WebSocket (issue 14: 10,000 mapping
 * views as objects are 5.4 MB of JSON, mostly repeated key names and owners). Main encodes at the
 * transport edge (dispatcher, event hub), the client built from the contract decodes, so services and
 * the renderer only ever see the declared type. `decode` throws on a shape it did not make.
 */
export interface WireCodec<T> {
  encode(value: T): unknown;
  decode(wire: unknown): T;
}

export interface DomainDef<
  N extends string = string,
  M extends Record<string, MethodDef> = Record<string, MethodDef>,
  E extends Record<string, EventDef> = Record<string, EventDef>,
  C extends string = string,
> {
  readonly name: N;
  readonly methods: M;
  readonly events: E;
  readonly errorCodes: readonly C[];
}

export const method = <I extends z.ZodType, O>(input: I, wire?: WireCodec<O>): MethodDef<I, O> =>
  wire ? { input, wire } : { input };
export const event = <P>(wire?: WireCodec<P>): EventDef<P> => (wire ? { wire } : {});

export function defineDomain<
  const N extends string,
  M extends Record<string, MethodDef>,
  E extends Record<string, EventDef>,
  const C extends string,
>(def: { name: N; methods: M; events: E; errorCodes: readonly C[] }): DomainDef<N, M, E, C> {
  return def;
}

export type OutputOf<D> = D extends MethodDef<z.ZodType, infer O> ? O : never;
export type InputOf<D> = D extends MethodDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<D> = D extends MethodDef<infer I, unknown> ? z.output<I> : never;
export type PayloadOf<E> = E extends EventDef<infer P> ? P : never;
export type CodesOf<D extends DomainDef> = D['errorCodes'][number] | TransportErrorCode;

/** `app:info` for methods, `app:event:tick` for events. */
export const methodChannel = (domain: string, name: string): string => `${domain}:${name}`;
export const eventChannel = (domain: string, name: string): string => `${domain}:event:${name}`;

/** `onTick` for the event `tick`. */
export const subscribeName = (event: string): string => `on${event.charAt(0).toUpperCase()}${event.slice(1)}`;

type Subscribe<P> = (listener: (payload: P) => void) => () => void;

/** What the renderer sees: one function per method and one `onX` per event (returns unsubscribe). */
export type DomainClient<D extends DomainDef> = {
  [K in keyof D['methods']]: (
    ...args: undefined extends InputOf<D['methods'][K]>
      ? [input?: InputOf<D['methods'][K]>]
      : [input: InputOf<D['methods'][K]>]
  ) => Promise<Result<OutputOf<D['methods'][K]>, CodesOf<D>>>;
} & {
  [K in keyof D['events'] & string as `on${Capitalize<K>}`]: Subscribe<PayloadOf<D['events'][K]>>;
};

/** What main implements: plain async functions on validated input. Throw ContractError for a domain code. */
export type DomainService<D extends DomainDef> = {
  [K in keyof D['methods']]: (
    input: ParsedInputOf<D['methods'][K]>,
    ctx: CallContext,
  ) => Promise<OutputOf<D['methods'][K]>>;
};

/** Who is calling: the host fills it in, services may read it. */
export interface CallContext {
  transport: 'ipc' | 'websocket';
}

/** How a service publishes an event; the host fans it out to every window or socket. */
export type EventSink<D extends DomainDef> = <K extends keyof D['events'] & string>(
  name: K,
  payload: PayloadOf<D['events'][K]>,
) => void;
