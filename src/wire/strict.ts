// Strict protobuf decoding. protobufjs reads what it can: it takes a known field's bytes whatever
// their wire type, replaces malformed UTF-8 with U+FFFD and, from a Buffer, shortens a string that
// runs past the end. Before protobufjs decodes a message, the bytes are walked here with the
// message's schema, and anything that is not a well-formed encoding of that message is refused.
import { isUtf8 } from 'node:buffer';
import protobuf from 'protobufjs';
import { jsonPointerToken } from '../primitives.js';

/**
 * How deep messages may nest inside the decoded message: the message itself is at depth 0, a
 * message in one of its fields at depth 1, and so on; deeper than this is refused (the limit of
 * upb, the protobuf runtime of Python, counted the same way). Every payload the payload rule
 * judges fits: a payload of depth 33 (objects in objects, one more than the limit of 32) reaches
 * depth 100 in a request (three messages per object: Value, Struct, map entry), so that the payload
 * rule, not this one, reports it.
 */
export const MAX_MESSAGE_DEPTH = 100;

const WELL_FORMED = 'well-formed protobuf binary';
const UTF8 = 'well-formed UTF-8';
const DEPTH = `at most ${MAX_MESSAGE_DEPTH} levels of nested messages`;

/**
 * Bytes that are not a well-formed encoding of the expected message. `field` is the path of the
 * field at fault in proto names (`schedule.cron.expression`; inside a google.protobuf.Value, a
 * JSON Pointer after the field, `payload/items/0`), or undefined when the fault is in the
 * message's own framing (a truncated tag, field number 0, an unknown field with a bad wire type).
 */
export class WireDecodeError extends Error {
  constructor(
    /** What is wrong, without the field: `is not well-formed UTF-8`. */
    readonly problem: string,
    /** The proto path of the field at fault, when known. */
    readonly field: string | undefined,
    /**
     * The rule broken, as the ErrorInfo "limit" says it: `well-formed UTF-8`, `at most 100
     * levels of nested messages` or `well-formed protobuf binary`.
     */
    readonly limit: string = WELL_FORMED,
  ) {
    super(field === undefined ? problem : `${field} ${problem}`);
    this.name = 'WireDecodeError';
  }
}

/**
 * Decodes protobuf binary strictly into a protobufjs message of `type`. It refuses: a truncated
 * tag, varint, length or fixed-width value; a length past the end of the bytes or of the enclosing
 * message; a varint longer than 10 bytes or above 64 bits; field number 0 or above 2^29-1; wire types 3 and 4
 * (groups), 6 and 7; a known field with another wire type than its type's (a repeated numeric
 * field may be packed or not); a packed run that does not hold whole values; a string (every
 * `string` field, map key and value, at any depth) that is not well-formed UTF-8; nesting deeper
 * than {@link MAX_MESSAGE_DEPTH} messages. Unknown fields with a valid wire type are skipped.
 *
 * @throws {WireDecodeError}
 */
export function decodeStrict(type: protobuf.Type, bytes: Uint8Array): protobuf.Message {
  checkStrict(type, bytes);
  // A plain Uint8Array view: protobufjs's Buffer reader differs (it shortens a truncated string).
  const view = Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
  try {
    return type.decode(view);
  } catch (error) {
    throw new WireDecodeError(`cannot be decoded: ${error instanceof Error ? error.message : String(error)}`, undefined);
  }
}

/**
 * Checks that `bytes` are a well-formed encoding of `type` (see {@link decodeStrict}) without
 * decoding them.
 *
 * @throws {WireDecodeError}
 */
export function checkStrict(type: protobuf.Type, bytes: Uint8Array): void {
  try {
    walk(bytes, 0, bytes.length, planOf(type), 0);
  } catch (error) {
    if (error instanceof Fault) throw new WireDecodeError(error.problem, formatPath(error.path), error.limit);
    throw error;
  }
}

// ---- the walk ----------------------------------------------------------------------------------

/** One step of a path, innermost pushed first while a fault unwinds. */
type Step = { name: string } | { index: number; json: boolean } | { key: string; json: boolean };

/** A fault found during the walk, with the path collected as it unwinds. */
class Fault {
  readonly path: Step[] = [];
  constructor(
    readonly problem: string,
    readonly limit: string = WELL_FORMED,
  ) {}
}

const enum Kind {
  Scalar,
  String,
  Bytes,
  Message,
  Map,
}

interface FieldPlan {
  /** The proto name, or '' for a field that does not show in paths (inside google.protobuf.Value). */
  name: string;
  kind: Kind;
  /** The wire type of one value. */
  wire: number;
  repeated: boolean;
  /** A repeated numeric field, which may also come packed (wire type 2). */
  packable: boolean;
  /** A repeated field whose values are named by index in a path (messages, strings, bytes). */
  indexed: boolean;
  /** Map fields: the key's wire type and whether it is a string; the value's plan. */
  keyWire: number;
  keyIsString: boolean;
  value: FieldPlan | undefined;
  /** Message and map-of-message fields: the type, planned on first use. */
  type: protobuf.Type | undefined;
  /** Inside google.protobuf.Struct and ListValue: keys and indexes are JSON path steps. */
  json: boolean;
}

interface Plan {
  fields: Map<number, FieldPlan>;
}

const plans = new WeakMap<protobuf.Type, Plan>();
const JSON_TYPES = new Set(['.google.protobuf.Value', '.google.protobuf.Struct', '.google.protobuf.ListValue']);

function planOf(type: protobuf.Type): Plan {
  let plan = plans.get(type);
  if (plan !== undefined) return plan;
  plan = { fields: new Map() };
  const json = JSON_TYPES.has(type.fullName);
  for (const field of type.fieldsArray) {
    field.resolve();
    plan.fields.set(field.id, fieldPlan(field, json));
  }
  plans.set(type, plan);
  return plan;
}

function fieldPlan(field: protobuf.Field, json: boolean): FieldPlan {
  const name = json ? '' : snake(field.name);
  const base: FieldPlan = { name, kind: Kind.Scalar, wire: 0, repeated: field.repeated, packable: false, indexed: false, keyWire: 0, keyIsString: false, value: undefined, type: undefined, json };
  if (field instanceof protobuf.MapField) {
    const value = valuePlan(field.type, field.resolvedType, 'value');
    const keyWire = protobuf.types.mapKey[field.keyType as keyof typeof protobuf.types.mapKey];
    return { ...base, kind: Kind.Map, wire: 2, repeated: true, keyWire: keyWire ?? 2, keyIsString: field.keyType === 'string', value };
  }
  const one = valuePlan(field.type, field.resolvedType, name);
  return { ...one, repeated: field.repeated, packable: field.repeated && one.kind === Kind.Scalar, indexed: field.repeated && one.kind !== Kind.Scalar, json };
}

function valuePlan(typeName: string, resolved: protobuf.Type | protobuf.Enum | null, name: string): FieldPlan {
  const base: FieldPlan = { name, kind: Kind.Scalar, wire: 0, repeated: false, packable: false, indexed: false, keyWire: 0, keyIsString: false, value: undefined, type: undefined, json: false };
  if (resolved instanceof protobuf.Type) return { ...base, kind: Kind.Message, wire: 2, type: resolved };
  if (resolved instanceof protobuf.Enum) return base;
  if (typeName === 'string') return { ...base, kind: Kind.String, wire: 2 };
  if (typeName === 'bytes') return { ...base, kind: Kind.Bytes, wire: 2 };
  const wire = protobuf.types.basic[typeName as keyof typeof protobuf.types.basic];
  if (wire === undefined) throw new Error(`strict decoding: no wire type for the protobuf type '${typeName}'`);
  return { ...base, wire };
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// The value of the last varint read; varints are read into it to avoid allocating.
let varintValue = 0;

/** Reads a varint at `pos`; returns the position after it. The value is in `varintValue`. */
function readVarint(buf: Uint8Array, pos: number, end: number, what: string): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new Fault(`ends inside ${what}`);
    const b = buf[pos++]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (i === 9 && b > 1) throw new Fault(`has ${what} that overflows 64 bits`);
      varintValue = result;
      return pos;
    }
    scale *= 128;
  }
  throw new Fault(`has ${what} longer than 10 bytes`);
}

const WIRE_NAMES = ['varint (0)', '64-bit (1)', 'length-delimited (2)', 'start group (3)', 'end group (4)', '32-bit (5)', 'wire type 6', 'wire type 7'];

function walk(buf: Uint8Array, pos: number, end: number, plan: Plan, depth: number): void {
  if (depth > MAX_MESSAGE_DEPTH) throw new Fault(`is nested more than ${MAX_MESSAGE_DEPTH} messages deep`, DEPTH);
  // Occurrences of each repeated field so far, for the index in a path.
  let counts: Map<number, number> | undefined;
  while (pos < end) {
    let tag = buf[pos]!;
    if (tag < 0x80) pos++;
    else {
      pos = readVarint(buf, pos, end, 'a field tag');
      tag = varintValue;
    }
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    if (number === 0) throw new Fault('has a field with number 0');
    if (number > 0x1fffffff) throw new Fault(`has a field number above 536,870,911 (${number})`);
    if (wire === 3 || wire === 4) throw new Fault(`has a group (wire type ${wire}) in field ${number}, which proto3 does not allow`);
    if (wire > 5) throw new Fault(`has wire type ${wire} in field ${number}, which does not exist`);
    const field = plan.fields.get(number);
    if (field === undefined) {
      pos = skip(buf, pos, end, wire, number);
      continue;
    }
    let index = 0;
    if (field.indexed) {
      counts ??= new Map();
      index = counts.get(number) ?? 0;
    }
    try {
      if (wire === field.wire) {
        pos = value(buf, pos, end, field, depth);
        if (field.indexed) counts!.set(number, index + 1);
      } else if (wire === 2 && field.packable) {
        pos = readLength(buf, pos, end);
        const stop = lengthEnd;
        const length = stop - pos;
        if (field.wire === 0) {
          while (pos < stop) pos = readVarint(buf, pos, stop, 'a packed varint');
        } else {
          const size = field.wire === 1 ? 8 : 4;
          if (length % size !== 0) throw new Fault(`is a packed run of ${length} bytes, not a whole number of ${size}-byte values`);
          pos = stop;
        }
      } else {
        throw new Fault(`has wire type ${WIRE_NAMES[wire]}, but its type is encoded as ${WIRE_NAMES[field.wire]}`);
      }
    } catch (error) {
      if (error instanceof Fault) {
        if (field.indexed) error.path.push({ index, json: field.json });
        if (field.name !== '') error.path.push({ name: field.name });
      }
      throw error;
    }
  }
}

/** Checks one value of a known field whose wire type matches; returns the position after it. */
function value(buf: Uint8Array, pos: number, end: number, field: FieldPlan, depth: number): number {
  switch (field.wire) {
    case 0:
      return readVarint(buf, pos, end, 'a varint');
    case 1:
      if (end - pos < 8) throw new Fault('ends inside a 64-bit value');
      return pos + 8;
    case 5:
      if (end - pos < 4) throw new Fault('ends inside a 32-bit value');
      return pos + 4;
  }
  pos = readLength(buf, pos, end);
  const stop = lengthEnd;
  switch (field.kind) {
    case Kind.String:
      checkUtf8(buf, pos, stop);
      break;
    case Kind.Message:
      walk(buf, pos, stop, planOf(field.type!), depth + 1);
      break;
    case Kind.Map:
      mapEntry(buf, pos, stop, field, depth + 1);
      break;
  }
  return stop;
}

/** A map entry: key = 1, value = 2 (each may repeat; the last one wins), unknown fields skipped. */
function mapEntry(buf: Uint8Array, pos: number, end: number, field: FieldPlan, depth: number): void {
  if (depth > MAX_MESSAGE_DEPTH) throw new Fault(`is nested more than ${MAX_MESSAGE_DEPTH} messages deep`, DEPTH);
  const value = field.value!;
  let keyStart = -1;
  let keyEnd = -1;
  // The values' contents, checked once the key is known, so that a fault can name the key. An
  // entry has one value; any more (the last one wins) are kept in `more`.
  let valueStart = -1;
  let valueEnd = -1;
  let more: number[] | undefined;
  while (pos < end) {
    pos = readVarint(buf, pos, end, 'a field tag');
    const number = Math.floor(varintValue / 8);
    const wire = varintValue % 8;
    if (number === 0) throw new Fault('has a map entry with a field with number 0');
    if (number > 0x1fffffff) throw new Fault(`has a map entry with a field number above 536,870,911 (${number})`);
    if (wire === 3 || wire === 4 || wire > 5) throw new Fault(`has a map entry with wire type ${wire} in field ${number}`);
    if (number === 1) {
      if (wire !== field.keyWire) throw new Fault(`has a map key with wire type ${WIRE_NAMES[wire]}, but its type is encoded as ${WIRE_NAMES[field.keyWire]}`);
      if (field.keyIsString) {
        keyStart = readLength(buf, pos, end);
        keyEnd = pos = lengthEnd;
        if (!isAscii(buf, keyStart, keyEnd) && !isUtf8(buf.subarray(keyStart, keyEnd))) throw new Fault('has a key that is not well-formed UTF-8', UTF8);
      } else {
        pos = skip(buf, pos, end, wire, number);
      }
    } else if (number === 2) {
      if (wire !== value.wire) throw new Fault(`has a map value with wire type ${WIRE_NAMES[wire]}, but its type is encoded as ${WIRE_NAMES[value.wire]}`);
      if (wire === 2) {
        if (valueStart >= 0) (more ??= []).push(valueStart, valueEnd);
        valueStart = readLength(buf, pos, end);
        valueEnd = pos = lengthEnd;
      } else {
        pos = skip(buf, pos, end, wire, number);
      }
    } else {
      pos = skip(buf, pos, end, wire, number);
    }
  }
  if (more !== undefined) for (let i = 0; i < more.length; i += 2) entryValue(buf, more[i]!, more[i + 1]!, field, depth, keyStart, keyEnd);
  if (valueStart >= 0) entryValue(buf, valueStart, valueEnd, field, depth, keyStart, keyEnd);
}

/** Checks the contents of one map value; a fault names the entry's key. */
function entryValue(buf: Uint8Array, pos: number, end: number, field: FieldPlan, depth: number, keyStart: number, keyEnd: number): void {
  const value = field.value!;
  try {
    if (value.kind === Kind.String) checkUtf8(buf, pos, end);
    else if (value.kind === Kind.Message) walk(buf, pos, end, planOf(value.type!), depth + 1);
  } catch (error) {
    if (error instanceof Fault) error.path.push({ key: keyStart < 0 ? '' : new TextDecoder().decode(buf.subarray(keyStart, keyEnd)), json: field.json });
    throw error;
  }
}

// The end of the last length-delimited value read by readLength.
let lengthEnd = 0;

/** Reads a length prefix at `pos` and checks it; returns where the contents start (end in `lengthEnd`). */
function readLength(buf: Uint8Array, pos: number, end: number): number {
  let length = pos < end ? buf[pos]! : 0x80;
  if (length < 0x80) pos++;
  else {
    pos = readVarint(buf, pos, end, 'a length');
    length = varintValue;
  }
  if (length > end - pos) throw new Fault(`has a length of ${length} bytes, past the end of ${end === buf.length ? 'the message' : 'the enclosing message'} (${end - pos} left)`);
  lengthEnd = pos + length;
  return pos;
}

/** Steps over the value of an unknown field; returns the position after it. */
function skip(buf: Uint8Array, pos: number, end: number, wire: number, number: number): number {
  switch (wire) {
    case 0:
      return readVarint(buf, pos, end, `a varint (field ${number})`);
    case 1:
      if (end - pos < 8) throw new Fault(`ends inside a 64-bit value (field ${number})`);
      return pos + 8;
    case 5:
      if (end - pos < 4) throw new Fault(`ends inside a 32-bit value (field ${number})`);
      return pos + 4;
    default:
      readLength(buf, pos, end);
      return lengthEnd;
  }
}

function isAscii(buf: Uint8Array, pos: number, end: number): boolean {
  for (let i = pos; i < end; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

function checkUtf8(buf: Uint8Array, pos: number, end: number): void {
  if (end - pos < 64 ? isAscii(buf, pos, end) : isUtf8(buf.subarray(pos, end))) return;
  if (!isUtf8(buf.subarray(pos, end))) throw new Fault('is not well-formed UTF-8', UTF8);
}

/**
 * A path as the ErrorInfo `field` of this package writes it: proto field names joined by dots, a
 * repeated field's index in brackets and a map key after a dot; inside a google.protobuf.Value
 * (the payload), a JSON Pointer (RFC 6901) after the field: `payload/items/0/name`.
 */
function formatPath(steps: Step[]): string | undefined {
  let out = '';
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if ('name' in s) out += out === '' ? s.name : `.${s.name}`;
    else if ('index' in s) out += s.json ? `/${s.index}` : `[${s.index}]`;
    else out += s.json ? `/${jsonPointerToken(s.key)}` : `.${s.key}`;
  }
  return out === '' ? undefined : out;
}
