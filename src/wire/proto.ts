import protobuf from 'protobufjs';
import { PROTO_FILES, protoRoot } from './proto-files.js';
import { decodeStrict } from './strict.js';

/**
 * The decoding options of every wire object in this package, shared with @grpc/proto-loader, so a
 * message decoded here and one decoded by grpc-js have the same shape: int64 as strings, enums as
 * their names, defaults filled in, and each oneof's chosen member named in a virtual field.
 */
export const WIRE_OBJECT_OPTIONS = Object.freeze({ longs: String, enums: String, defaults: true, oneofs: true });

let root: protobuf.Root | undefined;

/** The shipped protos, loaded once with protobufjs. */
export function protoTypes(): protobuf.Root {
  if (root !== undefined) return root;
  const dir = protoRoot();
  const r = new protobuf.Root();
  // Well-known google/protobuf types come bundled with protobufjs; the rest from the package.
  r.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : `${dir}/${target}`);
  r.loadSync(PROTO_FILES, { keepCase: false });
  r.resolveAll();
  return (root = r);
}

const typesByName = new Map<string, protobuf.Type>();

/** Looks up a message type by its full name, such as `k1s0.system.scheduler.v2.Job` (once per name). */
export function messageType(fullName: string): protobuf.Type {
  let type = typesByName.get(fullName);
  if (type === undefined) {
    type = protoTypes().lookupType(fullName);
    typesByName.set(fullName, type);
  }
  return type;
}

/**
 * Encodes a wire object as canonical protobuf binary: fields in number order, implicit-presence
 * fields with their default value left out, map entries sorted by key (what Go's deterministic
 * marshalling and the other languages produce, so bytes can be compared across languages).
 */
export function encodeMessage(fullName: string, object: Record<string, unknown>): Uint8Array {
  const type = messageType(fullName);
  return type.encode(type.fromObject(canonical(type, object))).finish();
}

/**
 * Decodes protobuf binary into a wire object (see {@link WIRE_OBJECT_OPTIONS}), strictly: bytes
 * that are not a well-formed encoding of the message (truncated, a wrong wire type, a group,
 * malformed UTF-8 in a string, nesting deeper than MAX_MESSAGE_DEPTH) are refused, never read as
 * another value.
 *
 * @throws {WireDecodeError} naming the field at fault where it is known.
 */
export function decodeMessage<T = Record<string, unknown>>(fullName: string, bytes: Uint8Array): T {
  const type = messageType(fullName);
  return type.toObject(decodeStrict(type, bytes), WIRE_OBJECT_OPTIONS) as T;
}

function canonical(type: protobuf.Type, object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const value = object[field.name];
    if (value === undefined || value === null) continue;
    const member = field.partOf !== null; // a oneof member, or a proto3 `optional` field
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) continue;
      out[field.name] = Object.fromEntries(
        entries.map(([k, v]) => [k, field.resolvedType instanceof protobuf.Type ? canonical(field.resolvedType, v as Record<string, unknown>) : v]),
      );
    } else if (field.repeated) {
      const list = value as unknown[];
      if (list.length === 0) continue;
      out[field.name] = field.resolvedType instanceof protobuf.Type ? list.map((v) => canonical(field.resolvedType as protobuf.Type, v as Record<string, unknown>)) : list;
    } else if (field.resolvedType instanceof protobuf.Type) {
      out[field.name] = canonical(field.resolvedType, value as Record<string, unknown>);
    } else if (member || !isDefault(field, value)) {
      out[field.name] = value;
    }
  }
  return out;
}

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (field.resolvedType instanceof protobuf.Enum) {
    return value === 0 || (typeof value === 'string' && field.resolvedType.values[value] === 0);
  }
  switch (typeof value) {
    case 'number':
      return value === 0 && !Object.is(value, -0);
    case 'string':
      return value === '' || (/int64|fixed64/.test(field.type) && value === '0');
    case 'boolean':
      return value === false;
    default:
      return value instanceof Uint8Array ? value.length === 0 : false;
  }
}
