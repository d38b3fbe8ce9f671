import { Schedule, nextRuns } from '@k1s0/scheduler-client';

Schedule.cron('0 9 * * MON-FRI', { timezone: 'Asia/Tokyo' }); // 5 fields
Schedule.cron('*/10 * * * * *');                               // 6 fields, seconds first (UTC)
Schedule.cron('@daily');                                       // @hourly @daily @weekly @monthly @yearly
Schedule.oneShot(new Date('2026-12-24T18:00:00Z'));            // once
Schedule.interval(30_000);                                     // every 30 s

// Preview offline, daylight-saving changes included:
console.log(nextRuns(Schedule.cron('30 2 * * *', { timezone: 'Europe/Berlin' }), new Date('2026-03-28T00:00:00Z'), 3));
// 2026-03-28T01:30Z, 2026-03-29T01:00Z (02:30 does not exist that night: it runs at 03:00), 2026-03-30T00:30Z
