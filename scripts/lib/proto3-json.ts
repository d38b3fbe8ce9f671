// The proto3 JSON mapping (https://protobuf.dev/programming-guides/json/) for the messages of this
// package, driven by protobufjs reflection: lowerCamelCase names, int64 as strings, enums by name,
// and the special forms of Timestamp, Duration, Value, Struct, ListValue, NullValue, FieldMask and Any.
import protobuf from 'protobufjs';
import { messageType } from '../../src/wire/proto.js';
import { readTimestamp } from '../../src/timestamp.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type WireObject = Record<string, unknown>;

/** A wire object (see WIRE_OBJECT_OPTIONS) of `fullName` to its proto3 JSON form. */
export function toProto3Json(fullName: string, object: WireObject): Json {
  return messageToJson(messageType(fullName), object);
}

/** Proto3 JSON to a wire object of `fullName`. Accepts lowerCamelCase and original field names. */
export function fromProto3Json(fullName: string, json: unknown): WireObject {
  return messageFromJson(messageType(fullName), json, fullName);
}

function messageToJson(type: protobuf.Type, o: WireObject): Json {
  switch (type.fullName) {
    case '.google.protobuf.Timestamp':
      return formatTimestamp(Number(o.seconds ?? 0), Number(o.nanos ?? 0));
    case '.google.protobuf.Duration':
      return formatDuration(Number(o.seconds ?? 0), Number(o.nanos ?? 0));
    case '.google.protobuf.FieldMask':
      return ((o.paths ?? []) as string[]).map(pathToJson).join(',');
    case '.google.protobuf.Value':
      return valueToJson(o);
    case '.google.protobuf.Struct':
      return Object.fromEntries(Object.entries((o.fields ?? {}) as Record<string, WireObject>).map(([k, v]) => [k, valueToJson(v)]));
    case '.google.protobuf.ListValue':
      return ((o.values ?? []) as WireObject[]).map(valueToJson);
    case '.google.protobuf.Any': {
      const url = String(o.type_url ?? o.typeUrl ?? '');
      const inner = messageType(url.slice(url.lastIndexOf('/') + 1));
      const decoded = inner.toObject(inner.decode(o.value as Uint8Array), { longs: String, enums: String, defaults: true, oneofs: true });
      const body = messageToJson(inner, decoded);
      return { '@type': url, ...(body as Record<string, Json>) };
    }
  }
  const out: Record<string, Json> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const value = o[field.name];
    if (value === undefined || value === null) continue;
    const explicit = field.partOf !== null;
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length > 0) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, scalarOrMessageToJson(field, v)]));
    } else if (field.repeated) {
      const list = value as unknown[];
      if (list.length > 0) out[field.name] = list.map((v) => scalarOrMessageToJson(field, v));
    } else {
      const json = scalarOrMessageToJson(field, value);
      if (explicit || field.resolvedType instanceof protobuf.Type || !isDefaultJson(json)) out[field.name] = json;
    }
  }
  return out;
}

function scalarOrMessageToJson(field: protobuf.Field, value: unknown): Json {
  if (field.resolvedType instanceof protobuf.Type) return messageToJson(field.resolvedType, value as WireObject);
  if (field.resolvedType instanceof protobuf.Enum) {
    if (field.resolvedType.fullName === '.google.protobuf.NullValue') return null;
    return typeof value === 'number' ? (field.resolvedType.valuesById[value] ?? value) : String(value);
  }
  if (/^(u?int64|s?fixed64|sint64)$/.test(field.type)) return String(value);
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value as Json;
}

function isDefaultJson(json: Json): boolean {
  return json === 0 || json === '' || json === false || json === '0' || (typeof json === 'string' && /_UNSPECIFIED$/.test(json));
}

function valueToJson(v: WireObject): Json {
  switch (v.kind) {
    case 'numberValue':
      return v.numberValue as number;
    case 'stringValue':
      return v.stringValue as string;
    case 'boolValue':
      return v.boolValue as boolean;
    case 'structValue':
      return messageToJson(messageType('google.protobuf.Struct'), (v.structValue ?? {}) as WireObject);
    case 'listValue':
      return messageToJson(messageType('google.protobuf.ListValue'), (v.listValue ?? {}) as WireObject);
    default:
      return null;
  }
}

/** RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as proto3 JSON prescribes. */
export function formatTimestamp(seconds: number, nanos: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}${fraction(nanos)}Z`;
}

function formatDuration(seconds: number, nanos: number): string {
  const negative = seconds < 0 || nanos < 0;
  return `${negative ? '-' : ''}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  const digits = String(nanos).padStart(9, '0');
  if (digits.endsWith('000000')) return `.${digits.slice(0, 3)}`;
  if (digits.endsWith('000')) return `.${digits.slice(0, 6)}`;
  return `.${digits}`;
}

function messageFromJson(type: protobuf.Type, json: unknown, path: string): WireObject {
  switch (type.fullName) {
    case '.google.protobuf.Timestamp':
      return parseTimestamp(json, path);
    case '.google.protobuf.Duration':
      return parseDuration(json, path);
    case '.google.protobuf.FieldMask':
      if (typeof json !== 'string') fail(path, `must be a string of comma-separated paths, got ${JSON.stringify(json)}`);
      return { paths: json === '' ? [] : (json as string).split(',').map((p) => pathFromJson(p, path)) };
    case '.google.protobuf.Value':
      return valueFromJson(json);
    case '.google.protobuf.Struct':
      return (valueFromJson(json).structValue ?? fail(path, 'must be an object')) as WireObject;
    case '.google.protobuf.ListValue':
      return (valueFromJson(json).listValue ?? fail(path, 'must be an array')) as WireObject;
    case '.google.protobuf.Any': {
      const { '@type': url, ...rest } = json as Record<string, unknown>;
      if (typeof url !== 'string') fail(path, 'must have an @type');
      const inner = messageType((url as string).slice((url as string).lastIndexOf('/') + 1));
      const innerObject = messageFromJson(inner, rest, path);
      // The bundled google.protobuf.Any keeps its proto field name, type_url.
      return { type_url: url, value: inner.encode(inner.fromObject(innerObject)).finish() };
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(path, 'must be a JSON object');
  const input = json as Record<string, unknown>;
  const out: WireObject = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const raw = input[field.name] ?? input[snake(field.name)];
    if (raw === undefined || raw === null) {
      if (raw === null && field.resolvedType?.fullName === '.google.protobuf.Value') out[field.name] = { nullValue: 'NULL_VALUE', kind: 'nullValue' };
      continue;
    }
    const at = `${path}.${field.name}`;
    if (field.map) {
      out[field.name] = Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, scalarOrMessageFromJson(field, v, at)]));
    } else if (field.repeated) {
      out[field.name] = (raw as unknown[]).map((v, i) => scalarOrMessageFromJson(field, v, `${at}[${i}]`));
    } else {
      out[field.name] = scalarOrMessageFromJson(field, raw, at);
    }
    if (field.partOf !== null && field.partOf.oneof.length > 1) out[field.partOf.name] = field.name;
  }
  return out;
}

function scalarOrMessageFromJson(field: protobuf.Field, value: unknown, path: string): unknown {
  if (field.resolvedType instanceof protobuf.Type) return messageFromJson(field.resolvedType, value, path);
  if (field.resolvedType instanceof protobuf.Enum) {
    if (typeof value === 'number') return field.resolvedType.valuesById[value] ?? fail(path, `has unknown enum number ${value}`);
    if (typeof value === 'string' && value in field.resolvedType.values) return value;
    return fail(path, `is not a value of ${field.resolvedType.name}: ${String(value)}`);
  }
  if (/int64|fixed64/.test(field.type)) return String(value);
  if (/int32|fixed32|double|float/.test(field.type)) return typeof value === 'string' ? Number(value) : value;
  return value;
}

function valueFromJson(json: unknown): WireObject {
  if (json === null) return { nullValue: 'NULL_VALUE', kind: 'nullValue' };
  switch (typeof json) {
    case 'number':
      return { numberValue: json, kind: 'numberValue' };
    case 'string':
      return { stringValue: json, kind: 'stringValue' };
    case 'boolean':
      return { boolValue: json, kind: 'boolValue' };
  }
  if (Array.isArray(json)) return { listValue: { values: json.map(valueFromJson) }, kind: 'listValue' };
  const fields: Record<string, WireObject> = {};
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) fields[k] = valueFromJson(v);
  return { structValue: { fields }, kind: 'structValue' };
}

function parseTimestamp(json: unknown, path: string): WireObject {
  // The contract's one text form (proto "Timestamps"), read strictly: no rolled-over dates.
  const read = typeof json === 'string' ? readTimestamp(json) : `must be an RFC 3339 timestamp, got ${JSON.stringify(json)}`;
  if (typeof read === 'string') return fail(path, read);
  return { seconds: String(read.seconds), nanos: read.nanos };
}

function parseDuration(json: unknown, path: string): WireObject {
  const m = typeof json === 'string' ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(json) : null;
  if (m === null) return fail(path, `must be a duration such as "1.5s", got ${JSON.stringify(json)}`);
  const sign = m[1] ? -1 : 1;
  return { seconds: String(sign * Number(m[2])), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) };
}

// A FieldMask path in JSON: each snake_case component in lowerCamelCase ("max_retries" is
// "maxRetries"). A path that would not come back the same (upper case, "_" before a non-letter) has
// no JSON form, and a JSON path with "_" has no proto form.
function pathToJson(path: string): string {
  if (!/^[a-z0-9]+(?:_[a-z][a-z0-9]*)*(?:\.[a-z0-9]+(?:_[a-z][a-z0-9]*)*)*$/.test(path)) fail('FieldMask', `path ${JSON.stringify(path)} has no proto3 JSON form`);
  return path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function pathFromJson(json: string, at: string): string {
  if (!/^[a-z0-9][A-Za-z0-9]*(?:\.[a-z0-9][A-Za-z0-9]*)*$/.test(json)) fail(at, `path ${JSON.stringify(json)} is not a lowerCamelCase FieldMask path`);
  return snake(json);
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function fail(path: string, message: string): never {
  throw new Error(`${path} ${message}`);
}
