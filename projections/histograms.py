"""Days-to-dispose histograms added up per dashboard row, with numpy.

A dashboard over many posts and a long window reads thousands of histograms (a cell's, per
day or block of days: `read.disposal_days*`, `disposals[n + 1]` disposals took n days). Read
as arrays, each of their places became a Python int and the adding ran in Python (at 1 M
complaints, the state by post over 366 days: ~24,000 arrays of a few hundred places). Here
each one comes as the tables keep it packed beside the array (`packed`, a generated column:
`array_send`, the binary format of PostgreSQL's wire protocol, one bytes value a row), and
they are all unpacked, added up per row and read (sum of days, median) in a few whole-array
steps, whatever their number.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from projections.figures import DaysToDispose

# `array_send` of an int4[]: five big-endian int32 words (dimensions, has-nulls flag, the
# element type's oid, the length, the lower bound), then per element its size (4) and value.
# An empty array is three words (no dimensions).
_INT4 = 23
_HEADER_WORDS = 5
_EMPTY_WORDS = 3


class NotAHistogram(ValueError):
    """A packed value that is not a one-dimensional int4 array without NULLs."""


def days_to_dispose(rows: Sequence[tuple[Hashable, bytes, int]]) -> dict[Any, DaysToDispose]:
    """Per key: the days its histograms (packed by `array_send`) count, each added (sign 1)
    or taken away (-1: a part of a block outside the window, `rows.cover`), as the sum of
    the days and their median (exact, as `DaysToDispose.counted` finds it). What is taken
    away must have been added: a count below zero is refused."""
    if not rows:
        return {}
    keys, packed, signs = zip(*rows, strict=True)  # the loops here run in C: thousands of rows
    owner, owners = numbered(keys)
    sizes = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed))
    if (sizes % 4).any() or (sizes < 4 * _EMPTY_WORDS).any():
        raise NotAHistogram("a packed histogram is not a whole number of int32 words")
    sizes //= 4
    words = np.frombuffer(b"".join(packed), dtype=">i4")  # read in place, not copied
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    lengths = _lengths(words, sizes, starts)
    width = int(lengths.max())
    if width == 0:
        return dict.fromkeys(owners, DaysToDispose())
    # The elements, each a size and a value, are the words but the headers'.
    elements = np.ones(len(words), dtype=bool)
    full = lengths > 0
    for at, header in ((starts[full], _HEADER_WORDS), (starts[~full], _EMPTY_WORDS)):
        for word in range(header):
            elements[at + word] = False
    pairs = words[elements].astype(np.int64)
    if (pairs[0::2] != 4).any():
        raise NotAHistogram("a days-to-dispose histogram holds NULLs")
    # Each element's place in its row's histogram (of `width` places a row): its row's
    # first place, less where its array starts among all elements, plus where it is.
    first = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    place = np.repeat(owner * width - first, lengths) + np.arange(int(lengths.sum()))
    counts = pairs[1::2] * np.repeat(np.fromiter(signs, dtype=np.int64, count=len(signs)), lengths)
    # Float weights add exactly below 2**53 disposals; back to integers at once.
    added = np.bincount(place, weights=counts, minlength=len(owners) * width)
    histograms = added.astype(np.int64).reshape(len(owners), width)
    if (histograms < 0).any():
        raise NotAHistogram("a days-to-dispose histogram takes away more than was added")
    return _read(owners, histograms)


def numbered(values: Sequence[Hashable]) -> tuple[np.ndarray, list[Any]]:
    """Each value as a number, its place among the distinct values (first seen first), and
    the distinct values."""
    places = {value: i for i, value in enumerate(dict.fromkeys(values))}
    found = np.fromiter(map(places.__getitem__, values), dtype=np.int64, count=len(values))
    return found, list(places)


def _lengths(words: np.ndarray, sizes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """How many places each packed array has, from its header; anything but a
    one-dimensional int4 array from place 1 without NULLs, the size its header says, is
    refused (a value read as something it is not would count wrong days)."""
    dimensions, nulls, element = words[starts], words[starts + 1], words[starts + 2]
    empty = dimensions == 0
    full = starts[~empty]
    if (
        ((dimensions != 0) & (dimensions != 1)).any()
        or (nulls != 0).any()
        or (element != _INT4).any()
        or (sizes[empty] != _EMPTY_WORDS).any()
        or (sizes[~empty] < _HEADER_WORDS).any()
    ):
        raise NotAHistogram("a days-to-dispose histogram is not a one-dimensional int4[]")
    lengths = np.zeros(len(sizes), dtype=np.int64)
    lengths[~empty] = words[full + 3]
    if (words[full + 4] != 1).any() or (sizes[~empty] != _HEADER_WORDS + 2 * lengths[~empty]).any():
        raise NotAHistogram("a days-to-dispose histogram's header does not fit its size")
    return lengths


def _read(keys: list[Hashable], histograms: np.ndarray) -> dict[Any, DaysToDispose]:
    """Each row's sum of days and median (the middle one, or the mean of the two middle
    ones), for every row at once; a row without disposals has neither."""
    upto = histograms.cumsum(axis=1)  # how many took at most n days
    counted = upto[:, -1]
    days = histograms @ np.arange(histograms.shape[1], dtype=np.int64)
    low, high = (counted - 1) // 2, counted // 2  # the middle ones' 0-based positions
    below_low = (upto <= low[:, None]).sum(axis=1)  # bisect_right(upto, low)
    below_high = (upto <= high[:, None]).sum(axis=1)
    middle = (below_low + below_high) / 2
    return {
        key: DaysToDispose(int(days[i]), float(middle[i])) if counted[i] else DaysToDispose()
        for i, key in enumerate(keys)
    }


def added_up(
    groups: np.ndarray, days: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Disposals counted per group and number of days (three arrays side by side, a group and
    number of days as often as it was counted) added up: each group and number of days once,
    in order of group, then days."""
    if len(groups) == 0:
        return groups, days, counts
    if (days < 0).any():
        raise NotAHistogram("a disposal counted before its complaint was filed")
    order = np.lexsort((days, groups))
    group, day = groups[order], days[order]
    first = np.empty(len(group), dtype=bool)
    first[0] = True
    first[1:] = (group[1:] != group[:-1]) | (day[1:] != day[:-1])
    at = np.flatnonzero(first)
    return group[at], day[at], np.add.reduceat(counts[order], at)


def spread_out(
    groups: np.ndarray, days: np.ndarray, counts: np.ndarray
) -> tuple[list[int], list[str]]:
    """Disposals counted per group and number of days (as `added_up` takes them) as one
    histogram a group, the way a rebuild writes its tables: the groups in ascending order,
    and each one's histogram as PostgreSQL's text of an int4[] (`{0,2,1}`: place n + 1 holds
    the disposals that took n days), all in whole-array steps."""
    group, day, count = added_up(groups, days, counts)
    if len(group) == 0:
        return [], []
    new = np.empty(len(group), dtype=bool)
    new[0] = True
    np.not_equal(group[1:], group[:-1], out=new[1:])
    owner = np.cumsum(new) - 1  # each count's group, 0-based
    firsts = np.flatnonzero(new)
    lengths = day[np.append(firsts[1:], len(group)) - 1] + 1  # up to the group's longest
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    dense = np.zeros(int(lengths.sum()), dtype=np.int64)
    dense[offsets[owner] + day] = count
    places = dense.tolist()
    texts = [
        "{" + ",".join(map(str, places[at : at + n])) + "}"
        for at, n in zip(offsets.tolist(), lengths.tolist(), strict=True)
    ]
    return group[firsts].tolist(), texts
