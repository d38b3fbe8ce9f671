"""Checks that Python's protobuf runtime refuses every malformed request of proto/testdata/invalid.

For each vector of proto/testdata/invalid/requests.json (see the README there), ParseFromString of
the generated request class must raise DecodeError, except for the vectors whose "lenient" list
names "python": those this runtime is known to accept, and it must still accept them, so that the
list stays true. The contract refuses every vector whatever a runtime does; a Python server must
check the lenient ones itself.

    conformance/.venv/bin/python conformance/python/invalid_requests.py [proto/testdata/invalid/requests.json]

Prints the runtime, one line per vector, and exits 1 when a vector is not handled as its file says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "gen" / "python"))  # the stubs that setup.sh generates

from google.protobuf import descriptor_pool, message_factory  # noqa: E402
from google.protobuf.internal import api_implementation  # noqa: E402
from google.protobuf.message import DecodeError  # noqa: E402

from k1s0.system.scheduler.v2 import scheduler_pb2  # noqa: E402, F401  (registers the messages)

DEFAULT = HERE.parent.parent / "proto" / "testdata" / "invalid" / "requests.json"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    vectors = json.loads(path.read_text(encoding="utf-8"))["vectors"]
    if not vectors:
        print(f"no vectors in {path}", file=sys.stderr)
        return 2
    print(f"protobuf runtime: {api_implementation.Type()}")
    failed = 0
    for v in vectors:
        cls = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(v["message"]))
        lenient = "python" in v.get("lenient", [])
        try:
            cls().ParseFromString(bytes.fromhex(v["binary_hex"]))
            refused = None
        except DecodeError as error:
            refused = str(error) or "DecodeError"
        if refused is not None and not lenient:
            print(f"ok   {v['name']}: refused ({refused})")
        elif refused is None and lenient:
            print(f"ok   {v['name']}: accepted, as its lenient list says")
        elif refused is None:
            print(f"FAIL {v['name']}: accepted by ParseFromString, but its lenient list does not name python")
            failed += 1
        else:
            print(f"FAIL {v['name']}: refused ({refused}), but its lenient list names python")
            failed += 1
    if failed:
        print(f"{failed} of {len(vectors)} vectors not as expected")
        return 1
    print(f"all {len(vectors)} vectors as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
