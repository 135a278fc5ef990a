// Runs the demo router inside the lab's router namespace the way a real router sits on a LAN: bound
// to the LAN address, SSDP on 239.255.255.250:1900 (multicast joined), NAT-PMP on 5351. Prints one
// JSON line with its endpoints, then runs until SIGTERM (or lab teardown kills it).
import { startDemoRouter, type Profile } from '../../electron/demo-router/index';

const [host = '', profile = 'routeros7'] = process.argv.slice(2);
const router = await startDemoRouter({
  host,
  profile: profile as Profile,
  scenario: 'home',
  ssdpPort: 1900,
  multicast: true,
  natpmpPort: 5351,
  apiSslPort: null,
  traffic: false,
});
process.stdout.write(`${JSON.stringify(router.endpoints)}\n`);
process.on('SIGTERM', () => void router.stop().then(() => process.exit(0)));
