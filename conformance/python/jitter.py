"""The proto's jitter and retry backoff ("Schedule policies") in Python, against the vectors of
proto/testdata/jitter: every delay, capped due time and retry wait is computed here from the
proto's formulas (hashlib, Python's unbounded int, IEEE 754 floats) and compared.

    conformance/.venv/bin/python conformance/python/jitter.py [proto/testdata/jitter]

Prints `ok   <what>` or `FAIL <what>: <why>` per case, then `N case(s), M failed`; exits 1 on any
mismatch.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timestamps import format_timestamp  # noqa: E402


def jitter_hash(job_id: str, scheduled_ms: int) -> int:
    """H: the first 8 bytes, unsigned big-endian, of SHA-256 of UTF-8 `job_id + "\\n" + M`."""
    text = f"{job_id}\n{scheduled_ms:d}"  # M: ASCII decimal, "-" before a negative value, "0" for zero
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=False)


def jitter_delay(job_id: str, scheduled_ms: int, jitter_ms: int) -> int:
    """The delay before the cap: H mod jitter (0 without a jitter)."""
    return 0 if jitter_ms <= 0 else jitter_hash(job_id, scheduled_ms) % jitter_ms


def due_time(job_id: str, scheduled_ms: int, jitter_ms: int, next_scheduled_ms: int | None) -> int:
    """The due time: the instant plus its delay, capped to stay before the next scheduled instant."""
    delay = jitter_delay(job_id, scheduled_ms, jitter_ms)
    if next_scheduled_ms is not None:
        delay = min(delay, next_scheduled_ms - scheduled_ms - 1)
    return scheduled_ms + delay


def retry_waits(initial_ms: int, max_ms: int, multiplier: float, k: int) -> list[int]:
    """w(1)..w(k): w(1) = initial, w(n+1) = min(floor(w(n) x multiplier), maximum), in doubles."""
    waits = [initial_ms]
    while len(waits) < k:
        waits.append(min(math.floor(float(waits[-1]) * float(multiplier)), max_ms))
    return waits


def text_of(ms: int) -> str:
    """RFC 3339 UTC text with 3 fraction digits."""
    seconds, millis = divmod(ms, 1000)
    return format_timestamp(seconds, millis * 1_000_000)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "proto" / "testdata" / "jitter"
    delays = json.loads((folder / "delays.json").read_text(encoding="utf-8"))
    backoffs = json.loads((folder / "backoff.json").read_text(encoding="utf-8"))
    total = failed = 0

    def report(what: str, problems: list[str]) -> None:
        nonlocal total, failed
        total += 1
        if problems:
            failed += 1
            print(f"FAIL {what}: {'; '.join(problems)}")
        else:
            print(f"ok   {what}")

    def check_delay(case: dict) -> list[str]:
        problems = []
        h = jitter_hash(case["job_id"], case["scheduled_ms"])
        if str(h) != case["hash_u64"]:
            problems.append(f"H is {h}, want {case['hash_u64']}")
        d = jitter_delay(case["job_id"], case["scheduled_ms"], case["jitter_ms"])
        if d != case["delay_ms"]:
            problems.append(f"delay {d}, want {case['delay_ms']}")
        if text_of(case["scheduled_ms"]) != case["scheduled_at"]:
            problems.append(f"scheduled_at {text_of(case['scheduled_ms'])}, want {case['scheduled_at']}")
        return problems

    name = lambda c: f"{json.dumps(c['job_id'], ensure_ascii=False)} {c['scheduled_ms']} jitter {c['jitter_ms']}"  # noqa: E731
    for case in delays["delays"]:
        report(f"delay {name(case)}", check_delay(case))
    for case in delays["capped"]:
        problems = check_delay(case)
        due = due_time(case["job_id"], case["scheduled_ms"], case["jitter_ms"], case["next_scheduled_ms"])
        if due != case["due_ms"]:
            problems.append(f"due {due}, want {case['due_ms']}")
        for key in ("next_scheduled", "due"):
            if text_of(case[f"{key}_ms"]) != case[f"{key}_at"]:
                problems.append(f"{key}_at {text_of(case[key + '_ms'])}, want {case[key + '_at']}")
        report(f"capped {name(case)} next {case['next_scheduled_ms']}", problems)
    for b in backoffs["backoffs"]:
        got = retry_waits(b["initial_ms"], b["max_ms"], b["multiplier"], len(b["waits_ms"]))
        problems = [] if got == b["waits_ms"] else [f"waits {got}, want {b['waits_ms']}"]
        report(f"backoff {b['initial_ms']}/{b['max_ms']}/{b['multiplier']}", problems)
    print(f"{total} case(s), {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
