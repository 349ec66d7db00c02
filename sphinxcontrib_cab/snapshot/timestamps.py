"""Run timestamps as whole microseconds since the epoch (UTC), the form :class:`.RunTable` keeps.

A timestamp without a zone is taken as UTC, as the data contract says all times are.
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

_NAIVE_EPOCH = dt.datetime(1970, 1, 1)
_ONE_MICROSECOND = dt.timedelta(microseconds=1)
_TZINFO = attrgetter("tzinfo")

Zone = tuple[dt.tzinfo | None, dt.datetime, int]
"""A tzinfo, the epoch expressed in it, and its UTC offset in microseconds."""


def _in_zone(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """``moment`` expressed in ``zone`` (``None``: naive UTC), same instant."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    if zone is None:
        return aware.astimezone(dt.UTC).replace(tzinfo=None)
    return aware.astimezone(zone)


def _zone(moment: dt.datetime) -> Zone:
    """The tzinfo of ``moment``, the epoch in it, and its UTC offset in microseconds."""
    zone = moment.tzinfo
    offset = moment.utcoffset()
    offset_us = offset // _ONE_MICROSECOND if offset is not None else 0
    return zone, _NAIVE_EPOCH.replace(tzinfo=zone), offset_us


class EpochClock:
    """Converts start and end times of runs to microseconds since the epoch, keeping the zone
    of the last batch: the records of one file nearly always share one."""

    def __init__(self) -> None:
        self._zone: Zone = (None, _NAIVE_EPOCH, 0)

    def reset(self) -> None:
        """Forget the kept zone (a new file starts)."""
        self._zone = (None, _NAIVE_EPOCH, 0)

    def columns(
        self, starts: list[dt.datetime], ends: list[dt.datetime]
    ) -> tuple[list[int], list[int]]:
        """Start and end of each record in microseconds since the epoch (UTC)."""
        zones = set(map(_TZINFO, starts))
        zones.update(map(_TZINFO, ends))
        if len(zones) != 1:
            return self._mixed(starts, ends)
        zone = zones.pop()
        if zone is not self._zone[0]:
            self._zone = _zone(starts[0])
        _, epoch, offset_us = self._zone
        one_us = _ONE_MICROSECOND
        # Same tzinfo object on both sides: datetime subtracts wall clocks without calling
        # utcoffset(), which is the slow part; the zone's fixed offset is applied once.
        return (
            [(moment - epoch) // one_us - offset_us for moment in starts],
            [(moment - epoch) // one_us - offset_us for moment in ends],
        )

    def _mixed(
        self, starts: list[dt.datetime], ends: list[dt.datetime]
    ) -> tuple[list[int], list[int]]:
        """:meth:`columns` for records whose timestamps do not all share one tzinfo."""
        zone, zone_epoch, zone_offset_us = self._zone
        one_us = _ONE_MICROSECOND
        started_column: list[int] = []
        ended_column: list[int] = []
        for started, ended in zip(starts, ends, strict=True):
            if started.tzinfo is not zone or ended.tzinfo is not zone:
                if started.tzinfo is not ended.tzinfo:
                    ended = _in_zone(ended, started.tzinfo)
                zone, zone_epoch, zone_offset_us = _zone(started)
            started_column.append((started - zone_epoch) // one_us - zone_offset_us)
            ended_column.append((ended - zone_epoch) // one_us - zone_offset_us)
        self._zone = (zone, zone_epoch, zone_offset_us)
        return started_column, ended_column
