/**
 * The nat domain (issue 12): the STUN server setting, the user's consent to contact it, and the NAT
 * type measured from this PC (electron/stun, RFC 5780). Guarantees:
 * - nothing is sent to a STUN server before the user agreed to contact exactly that server (the
 *   consent names it; choosing another server withdraws it, and an unreadable settings file counts
 *   as never asked);
 * - a server without RFC 5780 still gives what it can (the public address) and the measurement
 *   lists what could not be measured and why (discovery's `notMeasured`);
 * - one measurement at a time, streamed as `progress` events, the result kept as `last`.
 * The self-test's `inbound` step asks `stunServer()` for the consented server.
 */
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { MeasuredNat, natDomain, NatErrorCode } from '../../../shared/domains/nat';
import { natTypeTerms, verdictFromBehaviour, type NatMeasurement } from '../../../shared/nat-type';
import { showServer, type StunServerAddress } from '../../../shared/stun-server';
import { createFileStore, memoryFileStore } from '../../mappings/file-store';
import type { FileStore } from '../../mappings/history';
import { discoverNat, type DiscoveryOptions } from '../../stun/discovery';
import { StunError } from '../../stun/errors';
import type { StunPorts } from '../../stun/ports';
import { realStunPorts } from '../../stun/real-net';
import { DEFAULT_STUN_SERVER } from '../../stun/server-address';
import { NatSettingsFile, NatSettingsState } from './settings-file';

export interface NatServiceDeps {
  emit: EventSink<typeof natDomain>;
  /** The config dir (the settings file); without it (and without `files`) settings live in memory. */
  dataDir?: string;
  files?: FileStore;
  /** UDP sockets for the STUN client; tests inject an in-memory network. */
  stun?: StunPorts;
  /** Options passed to every discovery (tests shorten the retransmission timings). */
  discovery?: Pick<DiscoveryOptions, 'timings' | 'hairpin'>;
  now?: () => number;
  log?: (line: string) => void;
}

export interface NatService extends DomainService<typeof natDomain> {
  /** The STUN server the user agreed to contact, or null (the self-test's `inbound` step). */
  stunServer(): Promise<StunServerAddress | null>;
}

/** StunError codes as the contract's closed codes; the message (what failed, what to do) is kept. */
function contractError(e: StunError): ContractError<NatErrorCode> {
  const code: NatErrorCode =
    e.code === 'timeout' ? 'no-answer' : e.code === 'resolve-failed' ? 'resolve-failed' : 'stun-failed';
  return new ContractError(code, e.message);
}

function measured(m: NatMeasurement, runId: string, at: number): MeasuredNat {
  const verdict = verdictFromBehaviour(m);
  return {
    runId,
    measuredAt: new Date(at).toISOString(),
    measurement: m,
    levels: verdict.levels,
    terms: natTypeTerms(verdict),
  };
}

export function createNatService(deps: NatServiceDeps): NatService {
  const now = deps.now ?? Date.now;
  const files = deps.files ?? (deps.dataDir ? createFileStore(deps.dataDir) : memoryFileStore());
  const state = new NatSettingsState(
    new NatSettingsFile(files, deps.log ?? (() => undefined)),
    showServer(DEFAULT_STUN_SERVER),
    now,
  );
  let stun = deps.stun;
  let last: MeasuredNat | null = null;
  let busy = false;
  let seq = 0;

  async function measure(server: StunServerAddress): Promise<MeasuredNat> {
    const runId = `${now().toString(36)}-${++seq}`;
    stun ??= realStunPorts();
    try {
      const m = await discoverNat(stun, {
        ...server,
        ...deps.discovery,
        onProgress: (phase, detail) => deps.emit('progress', { runId, phase, detail }),
      });
      last = measured(m, runId, now());
      deps.emit('measured', last);
      return last;
    } catch (e) {
      if (e instanceof StunError) throw contractError(e);
      throw e;
    }
  }

  return {
    settings: () => state.view(),
    saveSettings: ({ server }) => state.choose(server),
    consent: ({ server, agree }) => state.answer(server, agree),
    measure: async () => {
      const server = await state.consented();
      if (!server)
        throw new ContractError(
          'no-consent',
          `PortPilot has not been allowed to contact the STUN server ${(await state.view()).server}: agree first (it learns this PC's public address), or choose another server in Settings.`,
        );
      if (busy) throw new ContractError('busy', 'A NAT measurement is already running: wait for it to finish.');
      busy = true;
      try {
        return await measure(server);
      } finally {
        busy = false;
      }
    },
    last: async () => last,
    stunServer: () => state.consented(),
  };
}
