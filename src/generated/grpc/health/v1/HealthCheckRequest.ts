// Original file: proto/grpc/health/v1/health.proto


/**
 * The request of Check and Watch.
 */
export interface HealthCheckRequest {
  /**
   * The service to check; empty means the server as a whole.
   */
  'service'?: (string);
}

/**
 * The request of Check and Watch.
 */
export interface HealthCheckRequest__Output {
  /**
   * The service to check; empty means the server as a whole.
   */
  'service': (string);
}
