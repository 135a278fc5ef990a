import { ContractError } from '../../shared/contract/result';
import type { Capabilities } from '../../shared/domains/router';
import type { RouterLink } from '../core/router-link';
import { readOnlyReason } from '../core/write-access';

/** The connected router, or the contract's `not-connected` error that tells the user what to do. */
export function requireRouter(router: () => RouterLink | null): RouterLink {
  const link = router();
  if (!link)
    throw new ContractError('not-connected', 'Not connected to a router: connect on the Connect screen first.');
  return link;
}

/** Throws the contract's `read-only` error when the connected user may not change the router. */
export function requireWrite(router: { capabilities: Pick<Capabilities, 'policy'> }, action: string): void {
  const reason = readOnlyReason(router.capabilities, action);
  if (reason) throw new ContractError('read-only', reason);
}
