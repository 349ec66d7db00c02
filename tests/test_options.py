"""Option converters carry their allowed values and default, and the reference shows them."""

from __future__ import annotations

import pytest

from sphinxcontrib_cab.directives.leaderboard.directive import LeaderboardDirective
from sphinxcontrib_cab.directives.reference.entries import describe_option
from sphinxcontrib_cab.options import Option, choice_option
from sphinxcontrib_cab.snapshot.metrics import METRICS


def test_an_option_keeps_the_text_and_requires_a_value() -> None:
    option = choice_option("the view", ("a", "b"), "a")
    assert option(" b ") == " b "  # checked later by the directive, which warns and defaults
    with pytest.raises(ValueError, match="argument required"):
        option(None)
    assert Option("free text", required=False)(None) == ""


def test_the_reference_names_allowed_values_and_default() -> None:
    spec = LeaderboardDirective.option_spec
    sort = describe_option(spec["sort"])
    assert all(f"``{name}``" in sort for name in METRICS)
    assert "default: ``headline``" in sort
    order = describe_option(spec["order"])
    assert "``asc``" in order and "``costs``" in order
    assert "default: every row" in describe_option(spec["limit"])


def test_every_option_of_every_directive_says_what_it_accepts() -> None:
    """No option reads "text (required)" in the reference: each is an Option."""
    import importlib
    import pkgutil

    import sphinxcontrib_cab.directives as package
    from sphinxcontrib_cab.directive_base import SnapshotDirective
    from sphinxcontrib_cab.options import Option

    found = {}
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                spec = getattr(value, "option_spec", None) or {}
                if issubclass(value, SnapshotDirective) or spec:
                    found.update({f"{value.__name__}:{name}": conv for name, conv in spec.items()})
    assert len(found) > 20
    assert [name for name, converter in found.items() if not isinstance(converter, Option)] == []
