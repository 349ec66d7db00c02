"""The base of cab's directives and their option checks.

:class:`SnapshotDirective` gives every directive the ``:snapshot:`` option, the snapshot it
renders (through :mod:`.store`) and located ``cab.option`` warnings for its other options;
:func:`checked_choice` and :func:`checked_words` are those checks for any directive. The nodes a
directive builds come from :mod:`.render`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .filters import filtered_cells_of
from .options import Option
from .render import problem_marker
from .warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from .snapshot.failures import FailureMode
    from .snapshot.model import Cell, Snapshot


def checked_choice(
    value: str | None,
    option: str,
    choices: tuple[str, ...],
    default: str,
    location: str | tuple[str, int | None] | None,
) -> str:
    """``value`` when it is one of ``choices``; else a located ``cab.option`` warning naming the
    allowed values, and ``default`` so the build goes on."""
    if value is None:
        return default
    cleaned = value.strip()
    if cleaned in choices:
        return cleaned
    warn(
        f"{option} {value!r} is not one of {', '.join(choices)}; using {default!r}",
        Subtype.option,
        location,
    )
    return default


def checked_words(
    value: str, option: str, choices: tuple[str, ...], location: str | tuple[str, int | None]
) -> tuple[str, ...]:
    """The space-separated words of ``value`` that are among ``choices``, in the given order;
    the others are a located ``cab.option`` warning and are left out."""
    words = value.split()
    unknown = [word for word in words if word not in choices]
    if unknown:
        warn(
            f":{option}: {' '.join(unknown)!r} is not among {', '.join(choices)}; left out",
            Subtype.option,
            location,
        )
    return tuple(word for word in words if word in choices)


class SnapshotDirective(SphinxDirective):
    """Base of the cab directives: a ``:snapshot:`` option and helpers for located checks."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "snapshot": Option(
            "the ``snapshot_date`` of an older snapshot listed in ``meta.json``",
            default="the pinned snapshot",
        ),
    }

    def load_snapshot(self) -> Snapshot | None:
        """The snapshot this directive renders (pinned, or the one named by ``:snapshot:``);
        the store notes the page's dependency on its files and warns when the name is unknown."""
        from .store import snapshot_for

        name = self.options.get("snapshot")
        return snapshot_for(
            self.env, name=name.strip() if name else None, location=self.get_location()
        )

    def choice(
        self, option: str, choices: tuple[str, ...] | None = None, default: str | None = None
    ) -> str:
        """The value of ``option`` when it is one of its allowed values (those of its
        :class:`~.options.Option`, unless ``choices`` narrows them), else a located ``cab.option``
        warning and the default (the Option's, unless ``default`` is given)."""
        converter = self.option_spec[option]
        assert isinstance(converter, Option)
        allowed = converter.choices if choices is None else choices
        fallback = converter.fallback if default is None else default
        assert fallback is not None, f"option {option} has no default to fall back on"
        return checked_choice(
            self.options.get(option),
            f"{self.name} option :{option}:",
            allowed,
            fallback,
            self.get_location(),
        )

    def filtered_cells(
        self, *snapshots: Snapshot, pools: tuple[tuple[Cell, ...], ...] | None = None
    ) -> tuple[tuple[Cell, ...], ...]:
        """The cells of each snapshot its filter options (:mod:`.filters`) keep; a value that no
        snapshot contains is a located ``cab.option`` warning and matches nothing. ``pools``:
        see :func:`.filters.filtered_cells_of`."""
        return filtered_cells_of(snapshots, self.options, self.warn_option, "table", pools)

    def warn_option(self, option: str, message: str) -> None:
        """A located ``cab.option`` warning about ``option``."""
        warn(f"{self.name} option :{option}: {message}", Subtype.option, self.get_location())

    def failure_mode(self) -> FailureMode:
        """The directive's ``:failures:`` choice (:func:`.filters.failures_option`)."""
        return "exclude" if self.choice("failures") == "exclude" else "include"

    def row_limit(self) -> int | None:
        """``:limit:`` as a positive whole number, or ``None`` (every row); a bad value is a
        located ``cab.option`` warning and every row is shown."""
        text = self.options.get("limit")
        if text is None:
            return None
        try:
            value = int(text.strip())
        except ValueError:
            value = 0
        if value < 1:
            self.warn_option("limit", f"{text!r} is not a positive whole number; showing every row")
            return None
        return value

    def unavailable(self) -> list[nodes.Node]:
        """What the directive renders when its snapshot could not be loaded."""
        name = self.options.get("snapshot") or "pinned"
        return [nodes.paragraph("", "", problem_marker(f"[snapshot {name} is not available]"))]
