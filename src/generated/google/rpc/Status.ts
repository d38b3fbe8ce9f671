// Original file: proto/google/rpc/status.proto

import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from '../../google/protobuf/Any';

/**
 * The status of a failed RPC.
 */
export interface Status {
  /**
   * The gRPC status code.
   */
  'code'?: (number);
  /**
   * A developer-facing message in English.
   */
  'message'?: (string);
  /**
   * Details; the k1s0 scheduler sends exactly one google.rpc.ErrorInfo.
   */
  'details'?: (_google_protobuf_Any)[];
}

/**
 * The status of a failed RPC.
 */
export interface Status__Output {
  /**
   * The gRPC status code.
   */
  'code': (number);
  /**
   * A developer-facing message in English.
   */
  'message': (string);
  /**
   * Details; the k1s0 scheduler sends exactly one google.rpc.ErrorInfo.
   */
  'details': (_google_protobuf_Any__Output)[];
}
