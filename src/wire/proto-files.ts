import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scheduler proto, relative to the proto root. */
export const SCHEDULER_PROTO = 'k1s0/system/scheduler/v2/scheduler.proto';
/** Every proto file the package ships, relative to the proto root. */
export const PROTO_FILES = [SCHEDULER_PROTO, 'google/rpc/status.proto', 'google/rpc/error_details.proto', 'grpc/health/v1/health.proto'];

let cached: string | undefined;

/**
 * The `proto/` folder shipped with the package. It is found by walking up from this module, which
 * works from the source tree and from the ESM and CJS builds alike.
 */
export function protoRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, SCHEDULER_PROTO))) return (cached = candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`@k1s0/scheduler-client: cannot find proto/${SCHEDULER_PROTO} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
