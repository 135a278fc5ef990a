/**
 * The guide's "UPnP vs manual port forwarding" comparison applied to this network: servers (Plex,
 * Emby/Jellyfin, NVR/cameras, game servers, PBX) found in the live mappings get a static forward
 * offered as a plan ("Use manual port forwarding when running a self-hosted service"), and every
 * recognised device gets the guide's use-case advice (consoles, media servers, VoIP, P2P).
 */
import { addForwardSteps } from '../config/forwards';
import { makePlan } from '../config/plan';
import type { Plan } from '../plans/types';
import type { Suggestion } from '../../shared/domains/diagnose';
import type { DiagnoseContext, Mapping } from './context';
import { listDevices } from './devices';

export type SuggestionResult = Omit<Suggestion, 'fix'> & { plan: Plan | null };

const SERVER =
  /plex|jellyfin|emby|nvr|camera|hikvision|dahua|reolink|minecraft|game server|dedicated|valheim|terraria|asterisk|freepbx|\bpbx\b|sip trunk|nextcloud|synology|nginx|apache|http server/i;
const SERVER_PORTS = new Set([32400, 8096, 8920, 25565, 27015, 2456, 7777, 554, 8000, 5060, 443, 80]);
const P2P = /torrent|transmission|deluge|utorrent|vuze|emule|soulseek|syncthing/i;

function isServer(m: Mapping): boolean {
  return SERVER.test(m.description) || SERVER_PORTS.has(m.internalPort);
}

function forwardSuggestions(ctx: DiagnoseContext, names: Map<string, string>): SuggestionResult[] {
  const out: SuggestionResult[] = [];
  for (const m of ctx.mappings.filter(isServer)) {
    const who = names.get(m.address) || m.address;
    const steps = ctx.wan
      ? addForwardSteps(ctx.s, {
          inInterface: ctx.wan,
          protocol: m.protocol === 'udp' ? 'udp' : 'tcp',
          dstPort: String(m.externalPort),
          toAddress: m.address,
          toPort: String(m.internalPort),
          comment: `static forward: ${m.description || who}`,
          hairpinSubnet: '',
        })
      : [];
    out.push({
      kind: 'static-forward',
      device: m.address,
      title: `${m.description || 'server'} on ${who}: ${m.protocol.toUpperCase()} ${m.externalPort}`,
      advice: `A service you host, with a fixed address and port: a manual port forward suits it better (always visible, never changes without you, no other device can take the port). After adding it, turn off UPnP in ${m.description || 'the server'}’s settings so the dynamic mapping goes away.`,
      plan: steps.length ? makePlan(`Static forward for ${m.description || who}`, steps, ctx.s) : null,
    });
  }
  return out;
}

function useCase(platform: string, hostName: string, vendor: string | null, p2p: boolean): string | null {
  const hay = `${hostName} ${vendor ?? ''}`;
  if (['playstation', 'xbox', 'switch'].includes(platform))
    return 'Game console: UPnP is the right tool (consoles open ports per session and cannot be configured statically). Keep it on an internal interface and allow its ports before any deny.';
  if (/plex|jellyfin|emby|synology|nas|qnap/i.test(hay))
    return 'Media server/NAS: prefer a static forward (Plex TCP 32400, Emby/Jellyfin TCP 8096/8920). If you keep UPnP, pin its port to this address with an allow + deny pair so no other host can take it.';
  if (platform === 'voip')
    return 'VoIP: test with the SIP helper (/ip firewall service-port sip) first; enable UPnP only if the helper is not enough.';
  if (p2p)
    return 'P2P client: UPnP is appropriate when all LAN users are trusted; it saves managing per-client forwards.';
  if (platform === 'steam')
    return 'PC gaming (Steam): UPnP works; hosting a dedicated server is better served by a static forward.';
  if (/apple/i.test(vendor ?? ''))
    return 'Apple device: uses NAT-PMP (FaceTime, Back to My Mac successors) rather than UPnP.';
  return null;
}

export function suggestionsFor(ctx: DiagnoseContext): SuggestionResult[] {
  const devices = listDevices(ctx);
  const names = new Map(devices.map((d) => [d.address, d.hostName]));
  const out = forwardSuggestions(ctx, names);
  for (const d of devices.filter((x) => x.online)) {
    const p2p = ctx.mappings.some((m) => m.address === d.address && P2P.test(m.description));
    const advice = useCase(d.platform, d.hostName, d.vendor, p2p);
    if (advice) out.push({ kind: 'use-case', device: d.address, title: d.hostName || d.address, advice, plan: null });
  }
  return out;
}
