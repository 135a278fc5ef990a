import type { DomainClient, DomainDef } from '../contract/define';
import { appDomain } from './app';
import { configDomain } from './config';
import { mappingsDomain } from './mappings';
export { mappingsDomain };
import { routerDomain } from './router';

/*
 * Domains later issues fill in (mappings monitor, configuration, troubleshooter,
 * self-test). They are declared now so the bridge, the IPC binding and the WebSocket binding already
 * carry them: adding a method to one of these declarations is all it takes to expose it.
 */
export { configDomain };
export { diagnoseDomain } from './diagnose';
import { diagnoseDomain } from './diagnose';
import { selftestDomain } from './selftest';
export { selftestDomain };
import { natDomain } from './nat';
export { natDomain };

export const domains = {
  app: appDomain,
  router: routerDomain,
  mappings: mappingsDomain,
  config: configDomain,
  diagnose: diagnoseDomain,
  selftest: selftestDomain,
  nat: natDomain,
} as const;

export type Domains = typeof domains;
export type DomainName = keyof Domains;
export const domainList: readonly DomainDef[] = Object.values(domains);

/** The whole API as the renderer sees it (`window.api` in Electron, the WebSocket client in web mode). */
export type PortPilotApi = { [K in DomainName]: DomainClient<Domains[K]> };
