"""Option converters carry their allowed values and default, and the reference shows them."""

from __future__ import annotations

import pytest

from sphinxcontrib_cab.directives.leaderboard.directive import LeaderboardDirective
from sphinxcontrib_cab.directives.reference import describe_option
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
    sort = describe_option("sort", spec["sort"], {})
    assert all(f"``{name}``" in sort for name in METRICS)
    assert "default: ``headline``" in sort
    order = describe_option("order", spec["order"], {})
    assert "``asc``" in order and "``costs``" in order
    assert "default: every row" in describe_option("limit", spec["limit"], {})
