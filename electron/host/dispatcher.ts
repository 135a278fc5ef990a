import type { CallContext, DomainDef } from '../../shared/contract/define';
import { methodChannel } from '../../shared/contract/define';
import type { Result } from '../../shared/contract/result';
import { ContractError, transportErrorCodes } from '../../shared/contract/result';
import { validationError } from '../../shared/contract/validate';

type AnyService = Record<string, (input: unknown, ctx: CallContext) => Promise<unknown>>;

export interface Dispatcher {
  /** Every method channel the contract declares, e.g. `app:info`. */
  readonly channels: readonly string[];
  /** Validate, call, and turn the outcome (or any throw) into a Result. Never rejects. */
  call(channel: string, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

interface Route {
  def: DomainDef['methods'][string];
  handler: (input: unknown, ctx: CallContext) => Promise<unknown>;
  domainCodes: ReadonlySet<string>;
}

/**
 * The one `handle` wrapper every IPC and WebSocket call goes through (STYLE.md §3): unknown channel →
 * `unknown-method`; input checked with the method's zod schema → `validation` naming the field; then the
 * service, whose output leaves in the method's wire form when it declares one. A ContractError keeps
 * its code only if the domain declares it (closed union), anything else becomes `internal`. Building
 * it fails if a declared method has no handler, so a missing handler is caught at start-up rather than
 * at the first click.
 */
export function createDispatcher(
  domains: readonly DomainDef[],
  services: Readonly<Record<string, object>>,
  log: (line: string) => void = () => {},
): Dispatcher {
  const routes = new Map<string, Route>();
  for (const domain of domains) {
    const service = services[domain.name] as AnyService | undefined;
    for (const [name, def] of Object.entries(domain.methods)) {
      const handler = service?.[name];
      if (typeof handler !== 'function') {
        throw new Error(`contract method ${domain.name}.${name} has no handler`);
      }
      routes.set(methodChannel(domain.name, name), {
        def,
        handler: handler.bind(service),
        domainCodes: new Set(domain.errorCodes),
      });
    }
  }

  async function call(channel: string, input: unknown, ctx: CallContext): Promise<Result<unknown>> {
    const route = routes.get(channel);
    if (!route) {
      return { ok: false, error: { code: 'unknown-method', message: `No such method: ${String(channel)}` } };
    }
    const parsed = route.def.input.safeParse(input);
    if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
    try {
      const value = await route.handler(parsed.data, ctx);
      // The client built from the same contract decodes it (shared/contract/client.ts).
      return { ok: true, value: route.def.wire ? route.def.wire.encode(value) : value };
    } catch (err) {
      return { ok: false, error: toErrorData(err, route.domainCodes, channel, log) };
    }
  }

  return { channels: [...routes.keys()], call };
}

function toErrorData(err: unknown, codes: ReadonlySet<string>, channel: string, log: (line: string) => void) {
  if (
    err instanceof ContractError &&
    (codes.has(err.code) || (transportErrorCodes as readonly string[]).includes(err.code))
  ) {
    return err.detail === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, detail: err.detail };
  }
  const message = err instanceof Error ? err.message : String(err);
  log(`${channel} failed: ${message}`);
  return { code: 'internal', message: `Something went wrong in ${channel}: ${message}` };
}
