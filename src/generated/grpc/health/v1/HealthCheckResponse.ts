// Original file: proto/grpc/health/v1/health.proto


// Original file: proto/grpc/health/v1/health.proto

/**
 * The serving status.
 */
export const _grpc_health_v1_HealthCheckResponse_ServingStatus = {
  /**
   * Not known.
   */
  UNKNOWN: 'UNKNOWN',
  /**
   * Serving requests.
   */
  SERVING: 'SERVING',
  /**
   * Not serving requests.
   */
  NOT_SERVING: 'NOT_SERVING',
  /**
   * Used only by Watch: the service is not known to the server.
   */
  SERVICE_UNKNOWN: 'SERVICE_UNKNOWN',
} as const;

/**
 * The serving status.
 */
export type _grpc_health_v1_HealthCheckResponse_ServingStatus =
  /**
   * Not known.
   */
  | 'UNKNOWN'
  | 0
  /**
   * Serving requests.
   */
  | 'SERVING'
  | 1
  /**
   * Not serving requests.
   */
  | 'NOT_SERVING'
  | 2
  /**
   * Used only by Watch: the service is not known to the server.
   */
  | 'SERVICE_UNKNOWN'
  | 3

/**
 * The serving status.
 */
export type _grpc_health_v1_HealthCheckResponse_ServingStatus__Output = typeof _grpc_health_v1_HealthCheckResponse_ServingStatus[keyof typeof _grpc_health_v1_HealthCheckResponse_ServingStatus]

/**
 * The response of Check and Watch.
 */
export interface HealthCheckResponse {
  /**
   * The serving status of the service.
   */
  'status'?: (_grpc_health_v1_HealthCheckResponse_ServingStatus);
}

/**
 * The response of Check and Watch.
 */
export interface HealthCheckResponse__Output {
  /**
   * The serving status of the service.
   */
  'status': (_grpc_health_v1_HealthCheckResponse_ServingStatus__Output);
}
