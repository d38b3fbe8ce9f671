// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * A recurring schedule on a cron expression.
 */
export interface CronSchedule {
  /**
   * 5 fields, or 6 with seconds first, or @hourly, @daily, @weekly, @monthly, @yearly. It must have
   * at least one future run. Otherwise INVALID_SCHEDULE.
   */
  'expression'?: (string);
  /**
   * The IANA time zone the expression is read in, for example "Asia/Tokyo": a tz database name
   * spelt exactly, case-sensitive (see "timezone" under Validation). Empty means "UTC".
   * Across a daylight-saving change a fixed local time that does not exist runs at the first valid
   * time after the gap, and one that occurs twice runs once. An unknown zone is an INVALID_SCHEDULE.
   */
  'timezone'?: (string);
}

/**
 * A recurring schedule on a cron expression.
 */
export interface CronSchedule__Output {
  /**
   * 5 fields, or 6 with seconds first, or @hourly, @daily, @weekly, @monthly, @yearly. It must have
   * at least one future run. Otherwise INVALID_SCHEDULE.
   */
  'expression': (string);
  /**
   * The IANA time zone the expression is read in, for example "Asia/Tokyo": a tz database name
   * spelt exactly, case-sensitive (see "timezone" under Validation). Empty means "UTC".
   * Across a daylight-saving change a fixed local time that does not exist runs at the first valid
   * time after the gap, and one that occurs twice runs once. An unknown zone is an INVALID_SCHEDULE.
   */
  'timezone': (string);
}
