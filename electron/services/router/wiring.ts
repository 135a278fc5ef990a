import { randomBytes } from 'node:crypto';
import { ContractError } from '../../../shared/contract/result';
import { startDemoRouter } from '../../demo-router';
import { ProfileStore, type FieldErrors, type SecretStore } from '../../profiles';
import { RouterSession } from '../../router-session';
import { DataDir } from '../../storage';
import type { ProfilesPort, RouterServicePorts, SecretsPort } from './ports';
import { describeSessionError, testRouterConnection } from './session-errors';

export interface RouterWiringOptions {
  configDir: string;
  secrets: SecretStore | SecretsPort;
  log: (line: string) => void;
}

/** The real ports of the router service: profiles on disk, a secrets store, RouterSession, the demo router. */
export function routerPorts(options: RouterWiringOptions): RouterServicePorts {
  const store = new ProfileStore(options.configDir);
  const secrets = options.secrets;
  return {
    profiles: profilesPort(store),
    secrets: {
      kind: secrets.kind,
      weaker: secrets.weaker,
      // Getters: a keychain's availability is known only after Electron's `ready`, and can change.
      get backend() {
        return secrets.backend;
      },
      get canSave() {
        return secrets.canSave;
      },
      get cannotSaveReason() {
        return secrets.cannotSaveReason;
      },
      get: async (id) => (await secrets.get(id)) ?? null,
      has: (id) => secrets.has(id),
      set: (id, secret) => secrets.set(id, secret),
      delete: (id) => secrets.delete(id),
    },
    openSession: (target) => new RouterSession({ ...target }, { log: options.log }),
    testConnection: (target) => testRouterConnection(target),
    async startDemoRouter({ dialect, scenario }) {
      // A fresh password per start: the demo router is reachable only from this computer (loopback).
      const password = randomBytes(12).toString('base64url');
      const demo = await startDemoRouter({
        host: '127.0.0.1',
        profile: dialect,
        scenario,
        user: 'admin',
        password,
        dataDir: new DataDir(options.configDir).path('demoRouter'),
        log: (line) => options.log(`demo-router: ${line}`),
      });
      const { host, apiPort, rootDescriptionUrl, natPmp } = demo.endpoints;
      return {
        host,
        apiPort,
        user: 'admin',
        password,
        endpoints: { rootDescriptionUrl, natPmp },
        runId: randomBytes(4).toString('hex'),
        stop: () => demo.stop(),
      };
    },
    describeError: describeSessionError,
    log: options.log,
  };
}

function profilesPort(store: ProfileStore): ProfilesPort {
  const fieldErrors = (errors: FieldErrors): never => {
    const issues = Object.entries(errors).map(([field, message]) => ({ field, message }));
    throw new ContractError(
      'validation',
      `Invalid input — ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      {
        issues,
      },
    );
  };
  return {
    list: () => store.list(),
    get: (id) => store.get(id),
    async save(input) {
      const { id, ...fields } = input;
      const result = id ? await store.update(id, fields) : await store.add(fields);
      if (!result.ok) return fieldErrors(result.errors);
      return result.value;
    },
    async remove(id) {
      await store.delete(id);
    },
    async update(id, patch) {
      if (patch.lastUsedAt !== undefined) await store.markUsed(id);
      if (patch.pinnedFingerprint !== undefined) await store.setPinnedFingerprint(id, patch.pinnedFingerprint);
    },
  };
}
