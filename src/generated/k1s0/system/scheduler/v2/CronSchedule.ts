// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * A recurring schedule on a cron expression.
 * 
 * The dialect. Every k1s0 client and server accepts exactly this; anything else is an
 * INVALID_SCHEDULE with field "schedule.cron.expression". testdata/cron/corpus.json holds cases
 * (expression, zone, start, the next 5 runs) and expressions that must be refused.
 * - 5 fields "minute hour day-of-month month day-of-week", or 6 fields with "second" first, or
 * exactly one of these nicknames, lower case and alone: @hourly = "0 * * * *", @daily =
 * "0 0 * * *", @weekly = "0 0 * * 0", @monthly = "0 0 1 * *", @yearly = "0 0 1 1 *". No other
 * nickname (@annually, @midnight, @reboot, @every ...), no year field, no "TZ=" prefix.
 * - Fields are separated by one or more spaces (U+0020) or tabs (U+0009). Nothing may stand
 * before the first field or after the last (no white space, no newline). The expression is
 * stored and returned exactly as sent.
 * - Values: second 0-59, minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
 * day-of-week 0-7 (0 and 7 are Sunday) or SUN-SAT (SUN = 0). A number is 1 or 2 ASCII digits
 * ("07" is 7, "007" is refused). A name is its 3 letters in any case ("jan", "Jan", "JAN"),
 * only in its own field.
 * - A field is a comma-separated list of items, each one of:
 * *       every value (day-of-week: 0-6)
 * * /n     the field's minimum, minimum + n, ... up to its maximum (day-of-week: up to 6)
 * a       one value
 * a-b     a to b inclusive; a greater than b is refused ("FRI-SUN" is 5-0: write "5-7")
 * a-b/n   a, a + n, ... up to b
 * The step n is 1 to the field's largest value (59, 59, 23, 31, 12, 7). "a/n" (a step after
 * a single value), an empty item and a second "-" or "/" in one item are refused.
 * - L, W, #, ?, H and every character not named above are refused.
 * - Day rule (Vixie cron): day-of-month and day-of-week are each "restricted" unless their text
 * is exactly "*". When both are restricted a day matches if either matches (OR); otherwise the
 * restricted one alone decides, and "*" in both means every day. "* /2", "* /1", "1-31" and
 * "0-7" are restricted: "0 0 1-7 * MON" runs on days 1-7 and on every Monday, and
 * "0 0 * /1 * MON" every day.
 * - It must be able to fire: with day-of-month restricted and day-of-week "*", some listed day
 * must exist in some listed month (February has 29 days), so "0 0 30 2 *" and
 * "0 0 31 4,6,9,11 *" are refused while "0 0 29 2 *" (leap years) is valid.
 * - Fields are matched against local wall-clock time in the time zone. The next run is the
 * first matching instant strictly after the previous fire (after creation for the first).
 * 
 * Daylight saving. An expression is a "fixed time" when its second (0 in the 5-field form),
 * minute and hour fields each hold exactly one value and contain neither "*" nor "/": "30 2 * * *",
 * "0 30 2 * * MON", "0 2-2 * * *", @daily, @weekly, @monthly and @yearly are; "0 2,14 * * *",
 * "0,30 2 * * *", "0 0 * /12 * * *" and @hourly are not.
 * - In a gap (local times that do not exist) a fixed time runs once, at the instant of the
 * change (the first instant after the gap: 03:00:00 when 02:00 jumps to 03:00), if that
 * instant is on the same local date; if not (the rest of that day does not exist, as on
 * 2011-12-30 in Pacific/Apia) it does not run that day. Every other expression skips the
 * times inside the gap.
 * - In a repeat (local times that occur twice) a fixed time runs once, at the earlier instant
 * (the offset before the change). Every other expression runs at both instants of each
 * matching time: "* /30 * * * *" in Europe/Berlin runs at 02:00 and 02:30 CEST and again at
 * 02:00 and 02:30 CET on the last Sunday of October.
 */
export interface CronSchedule {
  /**
   * The cron expression, in the dialect above. Otherwise INVALID_SCHEDULE.
   */
  'expression'?: (string);
  /**
   * The IANA time zone the expression is read in, for example "Asia/Tokyo": a tz database name
   * spelt exactly, case-sensitive (see "timezone" under Validation). Empty means "UTC".
   * Daylight-saving changes follow the rules above. An unknown zone is an INVALID_SCHEDULE.
   */
  'timezone'?: (string);
}

/**
 * A recurring schedule on a cron expression.
 * 
 * The dialect. Every k1s0 client and server accepts exactly this; anything else is an
 * INVALID_SCHEDULE with field "schedule.cron.expression". testdata/cron/corpus.json holds cases
 * (expression, zone, start, the next 5 runs) and expressions that must be refused.
 * - 5 fields "minute hour day-of-month month day-of-week", or 6 fields with "second" first, or
 * exactly one of these nicknames, lower case and alone: @hourly = "0 * * * *", @daily =
 * "0 0 * * *", @weekly = "0 0 * * 0", @monthly = "0 0 1 * *", @yearly = "0 0 1 1 *". No other
 * nickname (@annually, @midnight, @reboot, @every ...), no year field, no "TZ=" prefix.
 * - Fields are separated by one or more spaces (U+0020) or tabs (U+0009). Nothing may stand
 * before the first field or after the last (no white space, no newline). The expression is
 * stored and returned exactly as sent.
 * - Values: second 0-59, minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
 * day-of-week 0-7 (0 and 7 are Sunday) or SUN-SAT (SUN = 0). A number is 1 or 2 ASCII digits
 * ("07" is 7, "007" is refused). A name is its 3 letters in any case ("jan", "Jan", "JAN"),
 * only in its own field.
 * - A field is a comma-separated list of items, each one of:
 * *       every value (day-of-week: 0-6)
 * * /n     the field's minimum, minimum + n, ... up to its maximum (day-of-week: up to 6)
 * a       one value
 * a-b     a to b inclusive; a greater than b is refused ("FRI-SUN" is 5-0: write "5-7")
 * a-b/n   a, a + n, ... up to b
 * The step n is 1 to the field's largest value (59, 59, 23, 31, 12, 7). "a/n" (a step after
 * a single value), an empty item and a second "-" or "/" in one item are refused.
 * - L, W, #, ?, H and every character not named above are refused.
 * - Day rule (Vixie cron): day-of-month and day-of-week are each "restricted" unless their text
 * is exactly "*". When both are restricted a day matches if either matches (OR); otherwise the
 * restricted one alone decides, and "*" in both means every day. "* /2", "* /1", "1-31" and
 * "0-7" are restricted: "0 0 1-7 * MON" runs on days 1-7 and on every Monday, and
 * "0 0 * /1 * MON" every day.
 * - It must be able to fire: with day-of-month restricted and day-of-week "*", some listed day
 * must exist in some listed month (February has 29 days), so "0 0 30 2 *" and
 * "0 0 31 4,6,9,11 *" are refused while "0 0 29 2 *" (leap years) is valid.
 * - Fields are matched against local wall-clock time in the time zone. The next run is the
 * first matching instant strictly after the previous fire (after creation for the first).
 * 
 * Daylight saving. An expression is a "fixed time" when its second (0 in the 5-field form),
 * minute and hour fields each hold exactly one value and contain neither "*" nor "/": "30 2 * * *",
 * "0 30 2 * * MON", "0 2-2 * * *", @daily, @weekly, @monthly and @yearly are; "0 2,14 * * *",
 * "0,30 2 * * *", "0 0 * /12 * * *" and @hourly are not.
 * - In a gap (local times that do not exist) a fixed time runs once, at the instant of the
 * change (the first instant after the gap: 03:00:00 when 02:00 jumps to 03:00), if that
 * instant is on the same local date; if not (the rest of that day does not exist, as on
 * 2011-12-30 in Pacific/Apia) it does not run that day. Every other expression skips the
 * times inside the gap.
 * - In a repeat (local times that occur twice) a fixed time runs once, at the earlier instant
 * (the offset before the change). Every other expression runs at both instants of each
 * matching time: "* /30 * * * *" in Europe/Berlin runs at 02:00 and 02:30 CEST and again at
 * 02:00 and 02:30 CET on the last Sunday of October.
 */
export interface CronSchedule__Output {
  /**
   * The cron expression, in the dialect above. Otherwise INVALID_SCHEDULE.
   */
  'expression': (string);
  /**
   * The IANA time zone the expression is read in, for example "Asia/Tokyo": a tz database name
   * spelt exactly, case-sensitive (see "timezone" under Validation). Empty means "UTC".
   * Daylight-saving changes follow the rules above. An unknown zone is an INVALID_SCHEDULE.
   */
  'timezone': (string);
}
