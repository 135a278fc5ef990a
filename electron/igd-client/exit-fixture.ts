// Run by exit.test.ts as a child process: discovery + description + SOAP + NAT-PMP against the
// parent's fakes, then it simply returns. The process must exit by itself (every socket closed).
import { IgdClient, NatPmpClient, discoverGateways } from './index';

const args = JSON.parse(process.argv[2] ?? '{}') as { ssdpPort: number; natpmpPort: number };
const gateways = await discoverGateways({
  multicast: false,
  localAddresses: ['127.0.0.1'],
  windowMs: 300,
  unicastTargets: [{ address: '127.0.0.1', port: args.ssdpPort }],
});
const first = gateways[0];
const ip = first ? await (await IgdClient.fromLocation(first.location)).getExternalIPAddress() : '';
const natpmp = await new NatPmpClient({ gateway: '127.0.0.1', port: args.natpmpPort }).externalAddress();
// libuv finishes closing a handle a few loop turns after Node's 'close' event.
await new Promise((r) => setTimeout(r, 50));
// Resources other than stdio/timers we do not own would keep the process alive.
const active = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap');
process.stdout.write(JSON.stringify({ gateways: gateways.length, ip, natpmp: natpmp.address, active }) + '\n');
