/**
 * `npm run -s cli -- nat-type [--stun HOST[:PORT]] [--json] [--no-hairpin]` (issue 12): the NAT type
 * measured from this PC with a STUN server that implements RFC 5780, in RFC 4787 terms and in the
 * consoles' words. Exit 0 when the server answered (aspects it could not test are listed as not
 * measured), 1 when no server answered, 2 on bad arguments. --json prints exactly one object:
 * `{ mapping, filtering, natType: { xbox, playstation, switch }, publicAddress, server, … }`.
 */
import { natTypeTerms, verdictFromBehaviour, type NatMeasurement } from '../../shared/nat-type';
import { discoverNat } from '../stun/discovery';
import { StunError } from '../stun/errors';
import type { StunPorts } from '../stun/ports';
import { realStunPorts } from '../stun/real-net';
import { DEFAULT_STUN_SERVER, parseStunServer, showServer, type StunServerAddress } from '../stun/server-address';
import type { Timings } from '../stun/channel';
import { commandLine, EXIT, parseFlags, UsageError, type CliCommand, type CliIO, type FlagOptions } from './command';

export const NAT_TYPE_USAGE =
  'usage: cli nat-type [--stun HOST[:PORT]] [--json] [--no-hairpin]\n' +
  `       --stun   a STUN server that implements RFC 5780 (default ${showServer(DEFAULT_STUN_SERVER)}, a third party)`;

export interface NatTypeArgs {
  server: StunServerAddress;
  json: boolean;
  hairpin: boolean;
}

const OPTIONS = {
  stun: { type: 'string' },
  json: { type: 'boolean' },
  'no-hairpin': { type: 'boolean' },
} as const satisfies FlagOptions;

export function parseNatTypeArgs(argv: string[]): NatTypeArgs {
  const v = parseFlags(argv, OPTIONS);
  let server = DEFAULT_STUN_SERVER;
  if (v.stun !== undefined) {
    try {
      server = parseStunServer(v.stun);
    } catch (e) {
      throw new UsageError(`--stun: ${(e as Error).message}`);
    }
  }
  return { server, json: v.json === true, hairpin: v['no-hairpin'] !== true };
}

export function natTypeJson(m: NatMeasurement): Record<string, unknown> {
  return {
    mapping: m.mapping,
    filtering: m.filtering,
    natType: natTypeTerms(verdictFromBehaviour(m)),
    publicAddress: m.publicAddress,
    server: `${m.server.host}:${m.server.port}`,
    serverAddress: m.server.address,
    rfc5780: m.rfc5780,
    hairpinning: m.hairpinning,
    portAllocation: m.portAllocation,
    notMeasured: m.notMeasured,
    evidence: m.evidence,
  };
}

export function natTypeText(m: NatMeasurement): string {
  const t = natTypeTerms(verdictFromBehaviour(m));
  const lines = [
    `PortPilot — NAT type measured from this PC with ${m.server.host}:${m.server.port} (${m.server.address})`,
    `Public address: ${m.publicAddress ?? 'unknown'}`,
    `Mapping:        ${m.mapping}`,
    `Filtering:      ${m.filtering}`,
    `Hairpinning:    ${m.hairpinning}`,
    '',
    `Xbox: ${t.xbox}    PlayStation: ${t.playstation}    Nintendo Switch: ${t.switch}`,
  ];
  if (m.notMeasured.length) {
    lines.push('', 'Not measured:');
    for (const n of m.notMeasured) lines.push(`  - ${n.aspect}: ${n.why}`);
  }
  lines.push('', 'Evidence:', ...m.evidence.map((e) => `  · ${e}`));
  return lines.join('\n');
}

export interface NatTypeDeps {
  stun: StunPorts;
  timings?: Timings;
}

export async function runNatType(
  argv: string[],
  io: CliIO,
  deps: NatTypeDeps = { stun: realStunPorts() },
): Promise<number> {
  const line = commandLine(argv, io, NAT_TYPE_USAGE, parseNatTypeArgs);
  if ('exit' in line) return line.exit;
  const { args } = line;
  // A third party learns this PC's public address: say so every time (the app asks first).
  io.err(`note: asking the STUN server ${showServer(args.server)} (a third party; it sees this PC's public address)`);
  try {
    const m = await discoverNat(deps.stun, { ...args.server, hairpin: args.hairpin, timings: deps.timings });
    io.out(args.json ? JSON.stringify(natTypeJson(m)) : natTypeText(m));
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof StunError)) throw e;
    if (args.json)
      io.out(JSON.stringify({ error: { code: e.code, message: e.message }, server: showServer(args.server) }));
    else io.err(e.message);
    return EXIT.failed;
  }
}

export const natTypeCommand: CliCommand = {
  name: 'nat-type',
  summary: 'measure this network’s NAT type with a STUN server (RFC 5780) in console terms',
  usage: NAT_TYPE_USAGE,
  run: (argv, io) => runNatType(argv, io),
};
