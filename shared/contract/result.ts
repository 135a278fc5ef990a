/** Errors cross every boundary as data (STYLE.md §3): a code code can branch on, and words for people. */
export interface ErrorData<C extends string = string> {
  code: C;
  message: string;
  /** Field path for validation errors, or other structured detail. */
  detail?: unknown;
}

export type Result<T, C extends string = string> = { ok: true; value: T } | { ok: false; error: ErrorData<C> };

/** Codes every domain can return, added by the binding rather than by a service. */
export const transportErrorCodes = ['validation', 'unknown-method', 'forbidden', 'internal', 'disconnected'] as const;
export type TransportErrorCode = (typeof transportErrorCodes)[number];

/**
 * Thrown by a service to return `{ ok: false }` with a domain code. Anything else a service throws
 * arrives as `internal` (its message kept, its stack not).
 */
export class ContractError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <C extends string>(code: C, message: string, detail?: unknown): Result<never, C> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
});
