// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

/**
 * What a fire does when a run of the same job is in progress.
 */
export const OverlapPolicy = {
  /**
   * Not set: BUFFER_ONE. A server never returns it in Job.policy.
   */
  OVERLAP_POLICY_UNSPECIFIED: 'OVERLAP_POLICY_UNSPECIFIED',
  /**
   * The fire does not run and is counted in stats.skipped.
   */
  OVERLAP_POLICY_SKIP: 'OVERLAP_POLICY_SKIP',
  /**
   * The first such fire runs when no run is in progress any more; later ones are skipped.
   */
  OVERLAP_POLICY_BUFFER_ONE: 'OVERLAP_POLICY_BUFFER_ONE',
  /**
   * The fire runs beside the runs in progress, up to 10 runs at once.
   */
  OVERLAP_POLICY_ALLOW_ALL: 'OVERLAP_POLICY_ALLOW_ALL',
} as const;

/**
 * What a fire does when a run of the same job is in progress.
 */
export type OverlapPolicy =
  /**
   * Not set: BUFFER_ONE. A server never returns it in Job.policy.
   */
  | 'OVERLAP_POLICY_UNSPECIFIED'
  | 0
  /**
   * The fire does not run and is counted in stats.skipped.
   */
  | 'OVERLAP_POLICY_SKIP'
  | 1
  /**
   * The first such fire runs when no run is in progress any more; later ones are skipped.
   */
  | 'OVERLAP_POLICY_BUFFER_ONE'
  | 2
  /**
   * The fire runs beside the runs in progress, up to 10 runs at once.
   */
  | 'OVERLAP_POLICY_ALLOW_ALL'
  | 3

/**
 * What a fire does when a run of the same job is in progress.
 */
export type OverlapPolicy__Output = typeof OverlapPolicy[keyof typeof OverlapPolicy]
