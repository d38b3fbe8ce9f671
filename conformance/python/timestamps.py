"""The proto's "Timestamps" rule in Python: reads RFC 3339 text strictly, to exact (seconds, nanos).

    YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM)      F = 1 to 9 digits

The adapter: Python's own reader, datetime.fromisoformat (3.11+), is more lenient than the rule (a
space or any other character for 'T', lower-case letters, week dates, no seconds, and it holds only
microseconds), so the text must first match the rule's exact shape (ASCII digits only); datetime()
then checks the calendar (a real day, hours 0-23, seconds 0-59: it refuses 24:00:00 and a leap
second); the offset bounds and the instant are computed with integers (a datetime cannot hold an
instant that an offset pushes outside the years 1-9999, so the range is checked on seconds).

    conformance/.venv/bin/python conformance/python/timestamps.py [proto/testdata/timestamps/rfc3339.json]

checks the text-timestamp vectors: prints one line per case and exits 1 on any mismatch.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

# ASCII digits only ([0-9], not \d, which matches every Unicode digit).
_SHAPE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)
MIN_SECONDS = -62_135_596_800  # 0001-01-01T00:00:00Z
MAX_SECONDS = 253_402_300_799  # 9999-12-31T23:59:59Z
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def parse_timestamp(text: str) -> tuple[int, int]:
    """The exact (seconds since the epoch, nanos) of `text`; ValueError if the rule refuses it."""
    m = _SHAPE.fullmatch(text)
    if m is None:
        raise ValueError(f"{text!r} is not of the form YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM)")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction, zulu, sign, offset_hours, offset_minutes = m.group(7), m.group(8), m.group(9), m.group(10), m.group(11)
    if year < 1:
        raise ValueError(f"{text!r} has year 0000")
    datetime(year, month, day, hour, minute, second)  # ValueError for a day, hour, minute or second that does not exist
    offset = 0
    if zulu is None:
        oh, om = int(offset_hours), int(offset_minutes)
        if oh > 23 or om > 59:
            raise ValueError(f"{text!r} has an offset outside -23:59..+23:59")
        offset = (oh * 60 + om) * 60 * (-1 if sign == "-" else 1)
    days = date(year, month, day).toordinal() - _EPOCH_ORDINAL
    seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ValueError(f"{text!r} is outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z")
    nanos = int((fraction or "").ljust(9, "0") or "0")
    return seconds, nanos


def format_timestamp(seconds: int, nanos: int, min_digits: int = 3) -> str:
    """UTC text with the fewest of 3, 6 or 9 fraction digits that hold nanos (0 digits allowed
    when min_digits is 0, as proto3 JSON writes a whole second)."""
    days, rest = divmod(seconds, 86_400)
    d = date.fromordinal(_EPOCH_ORDINAL + days)
    if nanos == 0 and min_digits == 0:
        fraction = ""
    elif nanos % 1_000_000 == 0:
        fraction = f".{nanos // 1_000_000:03d}"
    elif nanos % 1000 == 0:
        fraction = f".{nanos // 1000:06d}"
    else:
        fraction = f".{nanos:09d}"
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}{fraction}Z"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "proto" / "testdata" / "timestamps" / "rfc3339.json"
    cases = json.loads(path.read_text(encoding="utf-8"))
    failed = 0
    for case in cases["valid"]:
        want = (case["seconds"], case["nanos"])
        problems = []
        try:
            got = parse_timestamp(case["text"])
        except ValueError as error:
            failed += report("valid", case["text"], [f"refused: {error}"])
            continue
        if got != want:
            problems.append(f"read as {got}, want {want}")
        elif format_timestamp(*got) != case["utc"]:
            problems.append(f"written as {format_timestamp(*got)}, want {case['utc']}")
        failed += report("valid", case["text"], problems)
    for case in cases["invalid"]:
        try:
            got = parse_timestamp(case["text"])
            problems = [f"read as {got}, but it is invalid ({case['why']})"]
        except ValueError:
            problems = []
        failed += report("invalid", case["text"], problems)
    total = len(cases["valid"]) + len(cases["invalid"])
    print(f"{total} case(s), {failed} failed")
    return 1 if failed else 0


def report(kind: str, text: str, problems: list[str]) -> int:
    if problems:
        print(f"FAIL {kind} {json.dumps(text, ensure_ascii=False)}: {'; '.join(problems)}")
        return 1
    print(f"ok   {kind} {json.dumps(text, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
