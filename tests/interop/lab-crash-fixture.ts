// Run by lab.test.ts as a child: builds a lab, prints its names, then dies the way `how` says,
// without calling teardown itself. The lab's exit/signal hooks must still clean up.
import { createLab } from './lab';

const how = process.argv[2] ?? 'throw';
const lab = await createLab({ wan: 'public', igdV1: false });
process.stdout.write(JSON.stringify({ ns: lab.ns, pid: lab.miniupnpdPid, workDir: lab.workDir }) + '\n');
if (how === 'throw') throw new Error('simulated test crash');
if (how === 'wait') setInterval(() => undefined, 1000); // until the parent signals or kills us
