// The few technical words PortPilot cannot avoid, each explained in one or two plain sentences (issue 13:
// "a glossary tooltip for unavoidable terms"). <Term name="…"> shows them; tests check every entry.

export interface GlossaryEntry {
  /** How the word is written when the slot of <Term> is empty. */
  label: string;
  /** The explanation, for someone who never configured a router. */
  meaning: string;
}

export const GLOSSARY = {
  upnp: {
    label: 'UPnP',
    meaning:
      'Universal Plug and Play: lets a console, game or app on your network ask the router to open a port for it, without you setting anything up by hand.',
  },
  'nat-pmp': {
    label: 'NAT-PMP',
    meaning:
      'NAT Port Mapping Protocol: Apple’s simpler way for a device to ask the router to open a port for it. It does the same job as UPnP.',
  },
  igd: {
    label: 'IGD',
    meaning:
      'Internet Gateway Device: the part of UPnP through which a device asks the router for a port. “UPnP IGD” is what consoles and apps speak.',
  },
  nat: {
    label: 'NAT',
    meaning:
      'Network Address Translation: your router shares one public Internet address among all your devices and keeps a table of which device talks to whom.',
  },
  'nat-type': {
    label: 'NAT type',
    meaning:
      'How easily other players can reach a device. Xbox says Open, Moderate or Strict; PlayStation Type 1, 2 or 3; Nintendo Switch A to D. The more open, the fewer problems with voice chat and joining games.',
  },
  'double-nat': {
    label: 'double NAT',
    meaning:
      'Two routers in a row: your MikroTik sits behind another router (often the Internet provider’s box). Ports opened on the MikroTik alone do not reach you from the Internet.',
  },
  cgnat: {
    label: 'CGNAT',
    meaning:
      'Carrier-grade NAT: your Internet provider shares one public address among many customers, so nobody can open ports for you from the Internet. Only the provider can change that.',
  },
  mapping: {
    label: 'port mapping',
    meaning:
      'A rule on the router that sends traffic arriving on one of its public ports to a device on your network. UPnP and NAT-PMP create them on request.',
  },
  'dynamic-rule': {
    label: 'dynamic rule',
    meaning:
      'A rule the router creates by itself — for each UPnP or NAT-PMP mapping — and removes again. You cannot edit it like a rule you added yourself.',
  },
  'static-forward': {
    label: 'static port forward',
    meaning:
      'A port forward you set up by hand: always there, always visible, never changed without you. The best fit for a server you run at home.',
  },
  'internal-interface': {
    label: 'internal interface',
    meaning: 'The router’s side facing your home network (LAN): devices there may ask for ports.',
  },
  'external-interface': {
    label: 'external interface',
    meaning: 'The router’s side facing the Internet (WAN): ports are opened there.',
  },
  wan: {
    label: 'WAN address',
    meaning:
      'The address the router has on its Internet side. If it is a private address (10.x, 172.16–31.x, 192.168.x, 100.64–127.x), another router or your provider sits in front of it.',
  },
  'api-ssl': {
    label: 'API-SSL',
    meaning:
      'The RouterOS programming interface over an encrypted connection (port 8729). Plain API (port 8728) sends everything, the password included, unencrypted.',
  },
  stun: {
    label: 'STUN server',
    meaning:
      'A server on the Internet that tells this PC the public address and port it sees. One with a second address can also test which senders your router lets through.',
  },
  'privileged-ports': {
    label: 'privileged ports',
    meaning:
      'Ports 0 to 1023, used by well-known services (web, mail, file sharing). A console or game never needs them; letting a device open them is a risk.',
  },
} as const satisfies Record<string, GlossaryEntry>;

export type TermName = keyof typeof GLOSSARY;
