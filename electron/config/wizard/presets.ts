/**
 * Device presets: the ports consoles and servers need, from the vendors' own support pages. Console
 * presets become allow rules for the console's address placed before any deny (the guide's NAT Type 3
 * advice); server presets pin the port to the server's host with a deny for everyone else (the guide's
 * Plex example).
 */
import type { PresetView } from '../../../shared/domains/config';

export type PortSpec = PresetView['ports'][number];

/** A preset as the wizard shows it (the contract's PresetView), with its known ids and suggestion hints. */
export interface DevicePreset extends PresetView {
  id: 'xbox' | 'playstation' | 'switch' | 'steam' | 'plex';
  /** Host-name / vendor hints for suggesting the preset. */
  hints: RegExp;
}

export const PRESETS: DevicePreset[] = [
  {
    id: 'xbox',
    name: 'Xbox',
    kind: 'console',
    // Microsoft lists UDP 88, 3074, 500, 3544, 4500 and TCP 3074 (plus outbound DNS/HTTP, not mapped).
    ports: [
      { protocol: 'udp', ports: '88' },
      { protocol: 'udp', ports: '500' },
      { protocol: 'udp', ports: '3074' },
      { protocol: 'tcp', ports: '3074' },
      { protocol: 'udp', ports: '3544' },
      { protocol: 'udp', ports: '4500' },
    ],
    source:
      'Xbox Support, “Network ports used by Xbox” (support.xbox.com/help/hardware-network/connect-network/network-ports-used-xbox-live)',
    hints: /xbox|microsoft/i,
  },
  {
    id: 'playstation',
    name: 'PlayStation',
    kind: 'console',
    // Sony: TCP 3478-3480, UDP 3478-3479 (TCP 80/443 are outbound). The guide adds UDP 3074 for PSN games.
    ports: [
      { protocol: 'tcp', ports: '3478-3480' },
      { protocol: 'udp', ports: '3478-3479' },
      { protocol: 'udp', ports: '3074' },
    ],
    source:
      'PlayStation Support, “Port forwarding for PlayStation consoles” (TCP 3478-3480, UDP 3478-3479); UDP 3074, which PlayStation Network games use as well',
    hints: /playstation|ps4|ps5|sony/i,
  },
  {
    id: 'switch',
    name: 'Nintendo Switch',
    kind: 'console',
    // Nintendo's page forwards UDP 1-65535; privileged ports stay blocked, the unprivileged part is allowed.
    ports: [{ protocol: 'udp', ports: '1024-65535' }],
    source:
      'Nintendo Support, “How to Set Up Port Forwarding” for Nintendo Switch (UDP 1-65535; PortPilot keeps 0-1023 blocked)',
    hints: /switch|nintendo/i,
  },
  {
    id: 'steam',
    name: 'Steam',
    kind: 'console',
    ports: [
      { protocol: 'udp', ports: '27000-27100' },
      { protocol: 'tcp', ports: '27015-27030' },
      { protocol: 'udp', ports: '27031-27036' },
      { protocol: 'tcp', ports: '27036' },
    ],
    source: 'Steam Support, “Required Ports for Steam” (help.steampowered.com/faqs/view/2EA8-4D75-DA21-31EB)',
    hints: /steam|valve/i,
  },
  {
    id: 'plex',
    name: 'Plex',
    kind: 'server',
    ports: [{ protocol: 'tcp', ports: '32400' }],
    source: 'Plex Support, “How to Use Secure Server Connections / Remote Access” (TCP 32400)',
    hints: /plex|synology|nas/i,
  },
];

export const presetById = (id: string): DevicePreset | undefined => PRESETS.find((p) => p.id === id);
