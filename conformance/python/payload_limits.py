"""Computes the size and depth of every payload of proto/testdata/limits/payloads.json by the rule of
scheduler.proto ("Payload size and depth") and checks them against the file.

The size is the byte length of the UTF-8 text that ECMAScript's JSON.stringify writes. Python's
json.dumps differs from it, so this file writes the text itself:
  - json.dumps(ensure_ascii=False, separators=(",", ":")) escapes strings the same way (", \\, \\b \\t
    \\n \\f \\r, other controls as \\u00xx in lower case, the rest raw), but it is not used for
    numbers: repr(float) writes 1e-07, 1e+20, 1.0 and -0.0 where JSON.stringify writes 1e-7,
    100000000000000000000, 1 and 0. Numbers are therefore formatted here from the shortest digits
    that repr gives (both are the shortest round-trip digits) by the rule of Number::toString.
  - json.loads reads integers as int; every number is read as a float (parse_int=float), as a
    google.protobuf.Value holds an IEEE 754 double, so 9007199254740993 reads as 9007199254740992.
  - json.dumps would write NaN and Infinity; the contract refuses them before the size matters.

    conformance/.venv/bin/python conformance/python/payload_limits.py [proto/testdata/limits/payloads.json]

Prints one JSON line per case ({"name", "bytes", "depth", "accepted"}) and exits 1 on any mismatch.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def format_number(x: float) -> str:
    """ECMAScript Number::toString of a finite double."""
    if x == 0:
        return "0"  # 0 and -0 alike
    if x < 0:
        return "-" + format_number(-x)
    # repr gives the shortest round-trip digits: "1e-07", "1.5e+20", "123.456", "0.0001", "5e-324".
    text = repr(x)
    mantissa, _, exponent = text.partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = (int_part + frac_part).lstrip("0")
    # The position of the decimal point relative to the first significant digit.
    point = len(int_part) + (int(exponent) if exponent else 0)
    leading_zeros = len(int_part + frac_part) - len((int_part + frac_part).lstrip("0"))
    n = point - leading_zeros
    s = digits.rstrip("0")
    k = len(s)
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + s
    e = n - 1
    sign = "+" if e >= 0 else "-"
    return s[0] + ("." + s[1:] if k > 1 else "") + "e" + sign + str(abs(e))


def format_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def canonical(value: Any) -> str:
    """The canonical JSON text of a value read with parse_int=float."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a JSON number")
        return format_number(value)
    if isinstance(value, str):
        return format_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(format_string(k) + ":" + canonical(v) for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def depth(value: Any) -> int:
    """A scalar is 0; an array or object is 1 more than its deepest item (1 when empty)."""
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


def build(spec: Any) -> Any:
    """Expands a "build" spec of payloads.json (see its README); anything else is itself.

    Counts and depths are read as floats (parse_int=float) and used as integers.
    """
    if not isinstance(spec, dict):
        return spec
    if "number" in spec:
        return float(spec["number"])
    if "string" in spec:
        s = spec["string"]
        return s["repeat"] * int(s["count"]) + s.get("suffix", "")
    if "nested_arrays" in spec:
        value = build(spec["nested_arrays"]["inner"])
        for _ in range(int(spec["nested_arrays"]["depth"])):
            value = [value]
        return value
    if "nested_objects" in spec:
        value = build(spec["nested_objects"]["inner"])
        for _ in range(int(spec["nested_objects"]["depth"])):
            value = {spec["nested_objects"]["key"]: value}
        return value
    if "object" in spec:
        return {spec["object"]["key"]: build(spec["object"]["value"])}
    if "array" in spec:
        a = spec["array"]
        return [build(a["repeat"]) for _ in range(int(a["count"]))] + [build(v) for v in a.get("suffix", [])]
    return spec


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "proto" / "testdata" / "limits" / "payloads.json"
    doc = json.loads(path.read_text(encoding="utf-8"), parse_int=float)
    max_bytes = int(doc["limits"]["max_bytes"])
    max_depth = int(doc["limits"]["max_depth"])
    failures = 0
    for case in doc["cases"]:
        value = case["payload"] if "payload" in case else build(case["build"])
        text = canonical(value)
        size = len(text.encode("utf-8"))
        d = depth(value)
        accepted = size <= max_bytes and d <= max_depth
        print(json.dumps({"name": case["name"], "bytes": size, "depth": d, "accepted": accepted}, ensure_ascii=False))
        expected = (int(case["bytes"]), int(case["depth"]), case["accepted"])
        if (size, d, accepted) != expected or ("canonical" in case and case["canonical"] != text):
            failures += 1
            print(f"MISMATCH {case['name']}: got {size} bytes, depth {d}, text {text[:80]!r}; expected {expected}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
