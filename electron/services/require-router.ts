import { ContractError } from '../../shared/contract/result';
import type { RouterLink } from '../core/router-link';

/** The connected router, or the contract's `not-connected` error that tells the user what to do. */
export function requireRouter(router: () => RouterLink | null): RouterLink {
  const link = router();
  if (!link)
    throw new ContractError('not-connected', 'Not connected to a router: connect on the Connect screen first.');
  return link;
}
