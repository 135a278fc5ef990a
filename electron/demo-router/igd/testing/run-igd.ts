/**
 * Child-process entry for the multicast peer test: runs the IGD face (fake backend) on the given
 * host (argv[2]) and WAN address (argv[3]) with SSDP on UDP 1900 and multicast on, prints one JSON line, stops on SIGTERM.
 * Only ever started inside a test's private network namespace.
 */
import { startIgd } from '../server';
import { FakeMappingBackend } from './fake-backend';

const host = process.argv[2] ?? '127.0.0.1';
const externalAddress = process.argv[3] ?? '198.51.100.7';
const backend = new FakeMappingBackend({
  externalAddress,
  internalPrefixes: [`${host.split('.').slice(0, 3).join('.')}.`],
});
const igd = await startIgd({ backend, host, httpPort: 0, multicast: true, log: (l) => process.stderr.write(`${l}\n`) });
process.stdout.write(
  `${JSON.stringify({ ready: true, rootDescriptionUrl: igd.rootDescriptionUrl, ssdpPort: igd.ssdpPort })}\n`,
);
process.on('SIGTERM', () => {
  void igd.close().then(() => process.exit(0));
});
