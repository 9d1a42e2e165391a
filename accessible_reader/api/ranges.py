"""HTTP Range headers (RFC 9110 §14): parse strictly, so a bad header gets 416 and never a 500."""

from __future__ import annotations

import re

_SPEC = re.compile(r"^[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*$")
MAX_RANGES = 16


class RangeNotSatisfiable(Exception):
    """The Range header is malformed or asks for bytes the file does not have (answer 416)."""


def parse_range(header: str, size: int) -> list[tuple[int, int]]:
    """The byte ranges ``[(start, end_inclusive), ...]`` a ``Range`` header asks of a ``size``-byte file.

    Accepts ``bytes=a-b``, ``bytes=a-``, ``bytes=-n`` and lists of them (at most 16). Raises
    :class:`RangeNotSatisfiable` for another unit, a malformed spec, ``a > b``, a start at or
    past the end, or an empty file. Ends past the file are clipped. Pure.
    """
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs.strip():
        raise RangeNotSatisfiable(header)
    parts = specs.split(",")
    if len(parts) > MAX_RANGES:
        raise RangeNotSatisfiable(header)
    ranges: list[tuple[int, int]] = []
    for part in parts:
        match = _SPEC.match(part)
        if match is None or (not match.group(1) and not match.group(2)):
            raise RangeNotSatisfiable(header)
        first, last = match.group(1), match.group(2)
        if not first:  # suffix: the last n bytes
            length = int(last)
            if length == 0 or size == 0:
                raise RangeNotSatisfiable(header)
            ranges.append((max(size - length, 0), size - 1))
            continue
        start = int(first)
        end = int(last) if last else size - 1
        if start > end or start >= size:
            raise RangeNotSatisfiable(header)
        ranges.append((start, min(end, size - 1)))
    return ranges
