import * as grpc from '@grpc/grpc-js';

/** A call as a server interceptor saw it. */
export interface SeenCall {
  method: string;
  metadata: grpc.Metadata;
}

/** Records every call's method and request metadata. */
export function recordingInterceptor(): { interceptor: grpc.ServerInterceptor; calls: SeenCall[] } {
  const calls: SeenCall[] = [];
  const interceptor: grpc.ServerInterceptor = (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            calls.push({ method: method.path, metadata });
            nextMetadata(metadata);
          },
        }),
    });
  return { interceptor, calls };
}

/** Holds the responses of one method for `ms` before sending them: a slow or sleeping server. */
export function delayInterceptor(methodName: string, ms: number): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      sendMessage: (message, next) => {
        if (!method.path.endsWith(`/${methodName}`)) return next(message);
        setTimeout(() => next(message), ms).unref();
      },
    });
}

/**
 * Lets the first `times` calls of a method run on the server, then replaces their OK status with
 * UNAVAILABLE, as if the connection had dropped after the server acted: the client sees a failure.
 */
export function loseResponsesInterceptor(methodName: string, times: number): { interceptor: grpc.ServerInterceptor; lost: () => number } {
  let lost = 0;
  const interceptor: grpc.ServerInterceptor = (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      sendStatus: (status, next) => {
        if (method.path.endsWith(`/${methodName}`) && status.code === grpc.status.OK && lost < times) {
          lost++;
          return next({ code: grpc.status.UNAVAILABLE, details: 'injected: connection lost after the server acted', metadata: new grpc.Metadata() });
        }
        next(status);
      },
    });
  return { interceptor, lost: () => lost };
}
