import { GrpcSchedulerClient, Schedule } from '@k1s0/scheduler-client';
import { startSchedulerServer, VirtualClock } from '@k1s0/scheduler-client/testing';

const server = await startSchedulerServer({ clock: new VirtualClock() }); // 127.0.0.1, a free port
const client = new GrpcSchedulerClient(server.address);
const job = await client.createJob({ name: 'sync', schedule: Schedule.interval(60_000), payload: null });
await server.advanceTime(60_000);                       // on a VirtualClock only
console.log(await client.getExecutions(job.id));        // one succeeded run
await client.close();
await server.close();
