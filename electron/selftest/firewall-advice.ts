/**
 * This PC's own firewall, explained (issue 15), for the inbound step (issue 12: a STUN-assisted probe
 * from outside to the mapped port). When the router holds the mapping but nothing arrived, the last
 * hop — the PC's firewall — is the usual suspect: Windows Defender Firewall drops inbound traffic to an
 * app without an allow rule (and cancelling its first-listen prompt *adds a block rule*); the macOS
 * application firewall filters per app; Linux distributions ship ufw or firewalld. This module only
 * turns facts into words: what to check, where exactly, and read-only commands that show the state.
 *
 * Hook (in the inbound step, after the probe timed out with the mapping verified on the router):
 *   const advice = firewallAdvice({ platform, protocol: 'udp', port, mappingExists: true, inboundReceived: false,
 *                                   executable: process.execPath });
 *   if (advice) c.rec.finding(firewallFinding(advice));
 */
import type { SelfTestFinding } from '../../shared/domains/selftest';

export interface FirewallFacts {
  platform: NodeJS.Platform;
  protocol: 'udp' | 'tcp';
  /** The local port PortPilot listened on for the inbound probe. */
  port: number;
  /** The router holds the mapping (verified on the router, or granted by UPnP / NAT-PMP). */
  mappingExists: boolean;
  /** Whether the probe reached PortPilot. */
  inboundReceived: boolean;
  /** The program the OS firewall knows PortPilot by (process.execPath). */
  executable?: string;
  appName?: string;
}

export interface FirewallAdvice {
  title: string;
  detail: string;
  /** The exact settings to check, in order. */
  checks: string[];
  /** Read-only commands that show the firewall's state. */
  commands: string[];
  /** One command that opens the port (needs administrator rights). */
  fix: string;
}

/** A path inside double quotes for PowerShell / cmd (Windows paths cannot contain `"`). */
const winQuote = (s: string): string => `"${s.replace(/"/g, '')}"`;
/** A path inside double quotes for sh: `\`, `"`, `$` and backquote escaped. */
const shQuote = (s: string): string => `"${s.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;

/** /Applications/PortPilot.app/Contents/MacOS/PortPilot → /Applications/PortPilot.app (what the firewall lists). */
export function macAppBundle(executable: string): string {
  const m = /^(.*?\.app)\/Contents\/MacOS\/[^/]+$/.exec(executable);
  return m?.[1] ?? executable;
}

function windows(f: FirewallFacts, app: string, what: string): FirewallAdvice {
  const exe = f.executable ?? `C:\\Program Files\\${app}\\${app}.exe`;
  const proto = f.protocol.toUpperCase();
  return {
    title: `Windows Defender Firewall may be blocking ${app}`,
    detail: `The router holds the mapping for ${what}, but nothing reached ${app} on this PC. Windows Defender Firewall drops inbound traffic to an app without an allow rule. The first time ${app} listened, Windows asked “Windows Defender Firewall has blocked some features of this app”: closing that prompt with Cancel adds a rule that blocks ${app}, and ticking only “Private networks” does not help while this network is set to Public.`,
    checks: [
      `Windows Security → Firewall & network protection → Allow an app through firewall → Change settings: ${app} must be ticked, with a tick under “Private” (under “Public” too only if this network is set to Public).`,
      'Settings → Network & internet → your Ethernet or Wi-Fi → Network profile type: “Private network” at home.',
      `Windows Defender Firewall with Advanced Security (wf.msc) → Inbound Rules: a rule for ${app} with Action “Block” wins over every allow rule — delete it (it is what Cancel on the prompt created).`,
      `Another security suite (Norton, Kaspersky, Bitdefender, ESET, …) replaces Windows Defender Firewall: allow ${app} there.`,
    ],
    commands: [
      `Get-NetFirewallApplicationFilter -Program ${winQuote(exe)} | Get-NetFirewallRule | Format-Table DisplayName,Enabled,Profile,Direction,Action`,
      'Get-NetConnectionProfile | Format-Table InterfaceAlias,NetworkCategory',
    ],
    fix: `New-NetFirewallRule -DisplayName ${winQuote(`${app} ${proto} ${f.port}`)} -Direction Inbound -Protocol ${proto} -LocalPort ${f.port} -Program ${winQuote(exe)} -Action Allow -Profile Private`,
  };
}

function macos(f: FirewallFacts, app: string, what: string): FirewallAdvice {
  const bundle = macAppBundle(f.executable ?? `/Applications/${app}.app`);
  const fw = '/usr/libexec/ApplicationFirewall/socketfilterfw';
  return {
    title: `The macOS firewall may be blocking ${app}`,
    detail: `The router holds the mapping for ${what}, but nothing reached ${app} on this Mac. The macOS application firewall filters incoming connections per app: with “Block all incoming connections” on, or ${app} set to “Block incoming connections”, the test traffic is dropped — silently in stealth mode.`,
    checks: [
      'System Settings → Network → Firewall → Options… (macOS 13 Ventura and later; System Preferences → Security & Privacy → Firewall → Firewall Options… before).',
      '“Block all incoming connections” must be off.',
      `${app} must be listed with “Allow incoming connections” (add it with +, or answer “Allow” when macOS asks “Do you want the application “${app}” to accept incoming network connections?”).`,
      `“Automatically allow downloaded signed software to receive incoming connections” lets a signed ${app} through; a build that is not signed must be added by hand.`,
    ],
    commands: [`${fw} --getglobalstate`, `${fw} --getblockall`, `${fw} --getappblocked ${shQuote(bundle)}`],
    fix: `sudo ${fw} --unblockapp ${shQuote(bundle)}`,
  };
}

function linux(f: FirewallFacts, app: string, what: string): FirewallAdvice {
  const spec = `${f.port}/${f.protocol}`;
  return {
    title: `This PC’s firewall may be blocking ${app}`,
    detail: `The router holds the mapping for ${what}, but nothing reached ${app} on this PC. Ubuntu and Mint ship ufw, Fedora and openSUSE firewalld; either drops inbound traffic to a port that is not allowed.`,
    checks: [
      `ufw: “sudo ufw status verbose” — with Status: active, ${spec} must be allowed.`,
      `firewalld: “sudo firewall-cmd --list-all” — ${spec} must be among the ports of the active zone.`,
    ],
    commands: ['sudo ufw status verbose', 'sudo firewall-cmd --list-all', 'sudo nft list ruleset'],
    fix: `sudo ufw allow ${spec}   (firewalld: sudo firewall-cmd --add-port=${spec})`,
  };
}

/**
 * What to check on this PC when the router holds the mapping but the inbound probe did not arrive;
 * null when the PC's firewall is not the suspect (the probe arrived, or the mapping is missing: then
 * the router or a NAT in front of it is the problem, which other steps explain).
 */
export function firewallAdvice(f: FirewallFacts): FirewallAdvice | null {
  if (f.inboundReceived || !f.mappingExists) return null;
  const app = f.appName ?? 'PortPilot';
  const what = `${f.protocol.toUpperCase()} ${f.port}`;
  if (f.platform === 'win32') return windows(f, app, what);
  if (f.platform === 'darwin') return macos(f, app, what);
  return linux(f, app, what);
}

/** The advice as the self-test's `pc-firewall` finding. */
export function firewallFinding(a: FirewallAdvice): SelfTestFinding {
  return {
    id: 'pc-firewall',
    severity: 'error',
    title: a.title,
    detail: `${a.detail} Check: ${a.checks.join(' ')} To open the port (as administrator): ${a.fix}`,
    evidence: a.commands.map((c) => `to see the state: ${c}`),
  };
}
