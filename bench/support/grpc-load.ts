// One load-generating client process of the gRPC scaling benchmark.
// argv: mode address jobId op inFlight ms; prints the number of completed calls.
import { makeClient, saturate, type Mode, type Op } from './grpc-clients.js';

const [mode, address, jobId, op, inFlight, ms] = process.argv.slice(2);
const client = makeClient(mode as Mode, address!, jobId!);
await saturate(client, op as Op, 8, 500); // warm-up
const done = await saturate(client, op as Op, Number(inFlight), Number(ms));
client.close();
process.stdout.write(`${done}\n`);
