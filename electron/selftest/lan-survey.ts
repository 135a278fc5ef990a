/** What the self-test learned about this PC's network before it searches (lan.ts fills it in). */
import type { Adapter, AdapterSelection } from '../igd-client/adapters';
import type { GatewayChoice } from '../igd-client/default-gateway';

export interface RouterLan {
  /** The router's address on this PC's subnet. */
  address: string;
  adapter: Adapter;
  how: 'connected-host' | 'router-address';
  /** Every IPv4 address the router has (its /ip/address rows), when read. */
  routerAddresses: string[];
}

export interface LanSurvey {
  adapters: Adapter[];
  search: AdapterSelection;
  defaultRoute: GatewayChoice | null;
  defaultRouteError: string | null;
  routerLan: RouterLan | null;
}
