import { createRequire } from 'node:module';
import { appDomain } from '../../shared/domains/app';
import { configDomain } from '../../shared/domains/config';
import { mappingsDomain } from '../../shared/domains/mappings';
import { routerDomain } from '../../shared/domains/router';
import { diagnoseDomain } from '../../shared/domains/diagnose';
import { selftestDomain } from '../../shared/domains/selftest';
import { desktopBackground, type LoginItemPort } from '../background/background-settings';
import type { BackgroundPrefs } from '../background/prefs';
import { natDomain } from '../../shared/domains/nat';
import { EventHub } from '../host/event-hub';
import { WizardChoicesFile } from '../config/wizard/memory';
import { createFileStore } from '../mappings/file-store';
import { fileJournalStore } from '../plans';
import { FileSecretStore, type SecretStore } from '../profiles';
import { DataDir } from '../storage';
import { createAppService } from './app/app-service';
import { ChangeApplier } from './change-applier';
import { createGatewayUrlResolver } from './gateway-url';
import { igdActionsVia } from './mappings/igd-actions';
import { createMappingsService } from './mappings/mappings-service';
import { createConfigService } from './config/config-service';
import { createDiagnoseService } from './diagnose/diagnose-service';
import { createRouterService } from './router/router-service';
import { routerPorts } from './router/wiring';
import { createSelfTestService } from './selftest/selftest-service';
import { createNatService } from './nat/nat-service';

export interface ServicesOptions {
  /** Where profiles, secrets and history live (Electron userData, or the web-mode config dir). */
  configDir: string;
  /** Electron passes its safeStorage-backed store; web mode defaults to the weaker encrypted file. */
  secrets?: SecretStore;
  electronVersion?: string | null;
  log?: (line: string) => void;
  /** The desktop app's background choices and start-at-login mechanism; web mode has neither. */
  desktop?: { prefs: BackgroundPrefs; loginItem: LoginItemPort };
}

/**
 * Builds every domain service once. The Electron main process and the web-mode host both call this,
 * then bind the result to their transport: the services never know which one serves them.
 */
export function createServices(options: ServicesOptions) {
  const hub = new EventHub();
  const log = options.log ?? (() => {});
  const desktop = options.desktop;
  const app = createAppService({
    background: desktop ? desktopBackground(desktop.prefs, desktop.loginItem) : undefined,
    emit: hub.sink(appDomain),
    info: {
      name: 'PortPilot',
      version: packageVersion(),
      platform: process.platform,
      arch: process.arch,
      electronVersion: options.electronVersion ?? null,
      nodeVersion: process.versions.node,
    },
  });
  const ports = routerPorts({
    configDir: options.configDir,
    secrets: options.secrets ?? new FileSecretStore(options.configDir),
    log,
  });
  const router = createRouterService(ports, hub.sink(routerDomain));
  const link = () => router.routerLink();
  const gateway = createGatewayUrlResolver({ log });
  router.onState((s) => {
    if (s.kind === 'connected') void gateway.routerChanged(link());
    else if (s.kind === 'idle') void gateway.routerChanged(null);
  });
  // One applier for configuration changes and troubleshooter fixes: one journal (either can be rolled
  // back from the Configuration screen) and one lock per router, which the mappings cleanup's UPnP
  // restart takes too.
  const changes = new ChangeApplier({
    router: link,
    journal: fileJournalStore(new DataDir(options.configDir).path('configJournal')),
  });
  const mappings = createMappingsService({
    router: link,
    onRouterState: (listener) => router.onState(listener),
    emit: hub.sink(mappingsDomain),
    dataDir: options.configDir,
    igd: igdActionsVia(gateway.url),
    lock: changes,
    log,
  });
  const config = createConfigService({
    router: link,
    changes,
    emit: hub.sink(configDomain),
    wizardMemory: new WizardChoicesFile(createFileStore(options.configDir), log),
  });
  const nat = createNatService({ emit: hub.sink(natDomain), dataDir: options.configDir, log });
  const selftest = createSelfTestService({
    emit: hub.sink(selftestDomain),
    router: link,
    stunServer: nat.stunServer,
    log,
  });
  const diagnose = createDiagnoseService({
    router: link,
    emit: hub.sink(diagnoseDomain),
    changes,
    gatewayUrl: gateway.url,
  });
  const services = { app, router, mappings, config, diagnose, selftest, nat };
  return {
    hub,
    services,
    /** Work worth doing before the user connects (the vendor table); call once the UI is up. */
    prepare(): void {
      mappings.prepare();
    },
    async dispose(): Promise<void> {
      app.dispose();
      await mappings.dispose();
      await selftest.dispose();
      await router.dispose();
    },
  };
}

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'portpilot' && pkg.version) return pkg.version;
    } catch {
      // try the next location: the path differs between sources (tsx) and the bundle (out/main)
    }
  }
  return '0.0.0';
}
