// A reference scheduler server in its own process for the gRPC benchmark, so that the server and
// the clients do not share a core. Prints its address, then serves until stdin closes.
import { VirtualClock } from '../../src/index.js';
import { startSchedulerServer } from '../../src/testing.js';

const server = await startSchedulerServer({ clock: new VirtualClock() });
process.stdout.write(`${server.address}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close({ graceMs: 1000 }).then(() => process.exit(0));
});
