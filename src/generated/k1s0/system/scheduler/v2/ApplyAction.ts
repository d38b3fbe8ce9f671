// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

/**
 * What an ApplyJob did (or, with dry_run, would do).
 */
export const ApplyAction = {
  /**
   * Never set by a server.
   */
  APPLY_ACTION_UNSPECIFIED: 'APPLY_ACTION_UNSPECIFIED',
  /**
   * No job had the key; one was created.
   */
  APPLY_ACTION_CREATED: 'APPLY_ACTION_CREATED',
  /**
   * The job had another spec; it was updated in place.
   */
  APPLY_ACTION_UPDATED: 'APPLY_ACTION_UPDATED',
  /**
   * The job already had this spec; nothing changed.
   */
  APPLY_ACTION_UNCHANGED: 'APPLY_ACTION_UNCHANGED',
} as const;

/**
 * What an ApplyJob did (or, with dry_run, would do).
 */
export type ApplyAction =
  /**
   * Never set by a server.
   */
  | 'APPLY_ACTION_UNSPECIFIED'
  | 0
  /**
   * No job had the key; one was created.
   */
  | 'APPLY_ACTION_CREATED'
  | 1
  /**
   * The job had another spec; it was updated in place.
   */
  | 'APPLY_ACTION_UPDATED'
  | 2
  /**
   * The job already had this spec; nothing changed.
   */
  | 'APPLY_ACTION_UNCHANGED'
  | 3

/**
 * What an ApplyJob did (or, with dry_run, would do).
 */
export type ApplyAction__Output = typeof ApplyAction[keyof typeof ApplyAction]
