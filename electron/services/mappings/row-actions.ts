/**
 * The Mappings screen's row actions on one mapping of the connected router: log its traffic (a
 * temporary firewall log rule, removed again), make it a permanent forward, copy it as commands.
 * Router failures become the contract's `router-error`; a mapping that is gone is `not-found`.
 */
import { ContractError } from '../../../shared/contract/result';
import type { RouterLink } from '../../core/router-link';
import { commandsFor, makePermanent, readTrafficLog, startTrafficLog, stopTrafficLog } from '../../mappings/actions';
import type { MappingMonitor } from '../../mappings/monitor';

const routerError = (err: unknown): never => {
  if (err instanceof ContractError) throw err;
  throw new ContractError('router-error', err instanceof Error ? err.message : String(err));
};

export class RowActions {
  /** The log rule PortPilot added per mapping id (removed on stop, forgotten on disconnect). */
  private readonly logRules = new Map<string, string>();

  constructor(private readonly live: () => { router: RouterLink; monitor: MappingMonitor }) {}

  private row(id: string) {
    const { router, monitor } = this.live();
    const view = monitor.get(id);
    const facts = monitor.facts(id);
    if (!view || !facts) throw new ContractError('not-found', `No mapping ${id} on the router any more.`);
    return { router, view, facts };
  }

  async startTrafficLog(id: string) {
    const { router, view } = this.row(id);
    const ruleId = this.logRules.get(id) ?? (await startTrafficLog(router, view).catch(routerError));
    this.logRules.set(id, ruleId);
    return readTrafficLog(router, view, ruleId).catch(routerError);
  }

  async trafficLog(id: string) {
    const { router, view } = this.row(id);
    return readTrafficLog(router, view, this.logRules.get(id) ?? null).catch(routerError);
  }

  async stopTrafficLog(id: string): Promise<void> {
    const { router, view } = this.row(id);
    const ruleId = this.logRules.get(id);
    if (!ruleId) return;
    await stopTrafficLog(router, view, ruleId).catch(routerError);
    this.logRules.delete(id);
  }

  async makePermanent(id: string, hairpin: boolean) {
    const { router, facts } = this.row(id);
    return makePermanent(router, facts, hairpin).catch(routerError);
  }

  commands(id: string): { text: string } {
    return { text: commandsFor(this.row(id).facts) };
  }

  forget(): void {
    this.logRules.clear();
  }
}

export { routerError };
