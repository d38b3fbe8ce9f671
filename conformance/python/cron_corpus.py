"""Checks the cron corpus (proto/testdata/cron/corpus.json) with croniter and an adapter.

    conformance/.venv/bin/python conformance/python/cron_corpus.py [corpus.json]

croniter walks local wall-clock times that match an expression; the adapter around it does what
the contract defines and croniter does differently (see "Cron corpus" in conformance/README.md):

  1. the dialect check: croniter accepts more (L, W, #, ?, H, a year field, `a/n`, reversed
     ranges, more nicknames, names of any length ...), so every expression is checked here first;
  2. the expression is handed to croniter in a canonical form: seconds first
     (second_at_beginning=True), each field as `*` or a plain list of its values, day-of-week 7
     as 0, so croniter's own readings of ranges and steps (`Jan-Jan` is the whole year, `*/n`
     can be re-based) and its full-list-means-`*` rule cannot change the meaning;
  3. daylight saving: croniter runs on naive wall-clock times, and the adapter maps each wall time
     to instants with the contract's rules (a fixed time in a gap runs at the first instant after
     the gap if that is still the same local day; in a repeat it runs once, at the earlier instant;
     other expressions skip gap times and run at both instants of a repeat).

Prints `N case(s), M failed` (N counts the cases and the invalid expressions) and exits 1 on any
mismatch.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from croniter import croniter

UTC = timezone.utc
SECOND = timedelta(seconds=1)
NEAR = timedelta(hours=26)

MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
# name, min, max, what `*` stands for (max), largest step, names
FIELDS = [
    ("second", 0, 59, 59, 59, None),
    ("minute", 0, 59, 59, 59, None),
    ("hour", 0, 23, 23, 23, None),
    ("day-of-month", 1, 31, 31, 31, None),
    ("month", 1, 12, 12, 12, MONTH_NAMES),
    ("day-of-week", 0, 7, 6, 7, DAY_NAMES),
]
MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
NICKNAMES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
}
DIGITS = re.compile(r"[0-9]{1,2}")
NAME = re.compile(r"[A-Za-z]{3}")
ALLOWED = re.compile(r"[ \t0-9A-Za-z*,\-/@]*")


class DialectError(ValueError):
    """An expression outside the contract's cron dialect."""


def _value(text: str, field) -> int:
    name, lo, hi, _, _, names = field
    if DIGITS.fullmatch(text):
        n = int(text)
        if not lo <= n <= hi:
            raise DialectError(f"{name} value {text} out of range {lo}-{hi}")
        return n
    if names is not None and NAME.fullmatch(text) and text.upper() in names:
        i = names.index(text.upper())
        return i + 1 if name == "month" else i
    raise DialectError(f"{name} {text!r} is not a number or name")


def _field(text: str, field) -> list[int]:
    name, lo, _, star_hi, step_max, _ = field
    values: set[int] = set()
    if text == "":
        raise DialectError(f"{name} is empty")
    for item in text.split(","):
        parts = item.split("/")
        if len(parts) > 2 or item == "":
            raise DialectError(f"{name} {item!r} is malformed")
        step = 1
        if len(parts) == 2:
            if not DIGITS.fullmatch(parts[1]) or not 1 <= int(parts[1]) <= step_max:
                raise DialectError(f"{name} step {parts[1]!r} not in 1-{step_max}")
            step = int(parts[1])
        rng = parts[0]
        if rng == "*":
            low, high = lo, star_hi
        else:
            ends = rng.split("-")
            if len(ends) > 2:
                raise DialectError(f"{name} {item!r} has two dashes")
            if len(ends) == 1:
                if len(parts) == 2:
                    raise DialectError(f"{name} {item!r}: a step needs * or a range")
                low = high = _value(rng, field)
            else:
                low, high = _value(ends[0], field), _value(ends[1], field)
                if low > high:
                    raise DialectError(f"{name} range {rng!r} is reversed")
        for v in range(low, high + 1, step):
            values.add(0 if name == "day-of-week" and v == 7 else v)
    return sorted(values)


class Parsed:
    """An expression read by the dialect."""

    def __init__(self, expression: str):
        if expression == "" or not ALLOWED.fullmatch(expression):
            raise DialectError("empty or a character outside the dialect")
        if expression[0] in " \t" or expression[-1] in " \t":
            raise DialectError("white space before or after")
        text = expression
        if "@" in expression:
            if expression not in NICKNAMES:
                raise DialectError("unknown nickname")
            text = NICKNAMES[expression]
        parts = re.split(r"[ \t]+", text)
        if len(parts) not in (5, 6):
            raise DialectError(f"{len(parts)} fields")
        self.fields = ["0", *parts] if len(parts) == 5 else parts
        self.values = [_field(t, f) for t, f in zip(self.fields, FIELDS)]
        dom_restricted = self.fields[3] != "*"
        dow_restricted = self.fields[5] != "*"
        if dom_restricted and not dow_restricted:
            if not any(self.values[3][0] <= MONTH_DAYS[m - 1] for m in self.values[4]):
                raise DialectError("never fires")
        self.fixed = all(
            "*" not in self.fields[i] and "/" not in self.fields[i] and len(self.values[i]) == 1 for i in range(3)
        )
        # The canonical form croniter reads: seconds first, `*` only where the text was exactly `*`.
        self.canonical = " ".join(
            "*" if t == "*" else ",".join(str(v) for v in vs) for t, vs in zip(self.fields, self.values)
        )


def _offset(tz: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(tz).utcoffset()


def _wall(tz: ZoneInfo, instant: datetime) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


def _instants(tz: ZoneInfo, wall: datetime, fixed: bool) -> list[datetime]:
    """The instants at which a matching local wall time fires, by the contract's DST rules."""
    a = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    b = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    ok_a = _wall(tz, a) == wall
    ok_b = _wall(tz, b) == wall
    if ok_a and ok_b:
        if a == b:
            return [a]
        earlier, later = min(a, b), max(a, b)
        return [earlier] if fixed else [earlier, later]
    if ok_a or ok_b:
        return [a if ok_a else b]
    # A gap: the transition lies in (min, max]; find its first second by bisection.
    if not fixed:
        return []
    lo, hi = min(a, b), max(a, b)
    after = _offset(tz, hi)
    while hi - lo > SECOND:
        mid = lo + timedelta(seconds=((hi - lo) // SECOND) // 2)
        if _offset(tz, mid) == after:
            hi = mid
        else:
            lo = mid
    return [hi] if _wall(tz, hi).date() == wall.date() else []


def _offsets_near(tz: ZoneInfo, instant: datetime) -> list[timedelta]:
    return [_offset(tz, instant + k * NEAR) for k in (-1, 0, 1)]


def next_after(parsed: Parsed, tz: ZoneInfo, after: datetime) -> datetime:
    """The first fire instant strictly after `after` (aware, UTC).

    Wall time W fires at instants t = W - offset(t). Only instants after `after` count, so wall
    times before wall(after) - (offset(after) - smallest offset soon after) cannot fire in time
    (that difference is positive only before a repeat); and once `best` is found, a later wall
    time W can only give an earlier instant if W - (largest offset shortly before best) < best.
    """
    floor = after.replace(microsecond=0)
    now = _offset(tz, floor)
    spread = max(timedelta(0), now - min(now, _offset(tz, floor + NEAR)))
    it = croniter(parsed.canonical, _wall(tz, floor) - spread - SECOND, second_at_beginning=True, ret_type=datetime)
    best: datetime | None = None
    best_max = timedelta(0)
    while True:
        wall = it.get_next()
        if best is not None and wall.replace(tzinfo=UTC) - best_max >= best:
            return best
        for instant in _instants(tz, wall, parsed.fixed):
            if instant > after and (best is None or instant < best):
                best = instant
                best_max = max(_offset(tz, best - NEAR), _offset(tz, best))


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "proto/testdata/cron/corpus.json"
    corpus = json.loads(path.read_text(encoding="utf-8"))
    total = failed = 0
    for case in corpus["cases"]:
        total += 1
        label = f"{case['expression']!r} in {case['timezone']} after {case['start']} ({case['name']})"
        try:
            parsed = Parsed(case["expression"])
            tz = ZoneInfo(case["timezone"])
            got: list[str] = []
            at = parse_instant(case["start"])
            for _ in range(len(case["next"])):
                at = next_after(parsed, tz, at)
                got.append(iso(at))
        except Exception as error:  # noqa: BLE001 - every failure is a mismatch to report
            failed += 1
            print(f"FAIL {label}: {type(error).__name__}: {error}")
            continue
        if got != case["next"]:
            failed += 1
            print(f"FAIL {label}:\n  expected {case['next']}\n  got      {got}")
    for invalid in corpus["invalid"]:
        total += 1
        try:
            Parsed(invalid["expression"])
        except DialectError:
            continue
        failed += 1
        print(f"FAIL {invalid['expression']!r} ({invalid['why']}) was accepted")
    print(f"{total} case(s), {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
