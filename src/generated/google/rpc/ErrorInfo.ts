// Original file: proto/google/rpc/error_details.proto


/**
 * The machine-readable cause of an error (AIP-193).
 */
export interface ErrorInfo {
  /**
   * The error code, for example "JOB_NOT_FOUND". Stable; clients switch on it.
   */
  'reason'?: (string);
  /**
   * The service that produced the error: "scheduler.k1s0.system".
   */
  'domain'?: (string);
  /**
   * Context: "operation", and where they apply "job_id", "field" and "limit".
   */
  'metadata'?: ({[key: string]: string});
}

/**
 * The machine-readable cause of an error (AIP-193).
 */
export interface ErrorInfo__Output {
  /**
   * The error code, for example "JOB_NOT_FOUND". Stable; clients switch on it.
   */
  'reason': (string);
  /**
   * The service that produced the error: "scheduler.k1s0.system".
   */
  'domain': (string);
  /**
   * Context: "operation", and where they apply "job_id", "field" and "limit".
   */
  'metadata': ({[key: string]: string});
}
