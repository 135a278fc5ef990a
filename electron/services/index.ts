import { createRequire } from 'node:module';
import { appDomain } from '../../shared/domains/app';
import { EventHub } from '../host/event-hub';
import { createAppService } from './app/app-service';

export interface ServicesOptions {
  electronVersion?: string | null;
  log?: (line: string) => void;
}

/**
 * Builds every domain service once. The Electron main process and the web-mode host both call this,
 * then bind the result to their transport: the services never know which one serves them.
 */
export function createServices(options: ServicesOptions = {}) {
  const hub = new EventHub();
  const app = createAppService({
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
  const services = { app, router: {}, mappings: {}, config: {}, diagnose: {}, selftest: {} };
  return {
    hub,
    services,
    dispose(): void {
      app.dispose();
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
