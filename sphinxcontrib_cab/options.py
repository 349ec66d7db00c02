"""Directive option converters that say what they accept: allowed values, default, meaning.

An :class:`Option` is an ``option_spec`` converter (docutils calls it with the option's text)
that also carries what the generated reference shows (:mod:`.directives.reference`) and what a
directive checks the value against. Conversion keeps the text as given; checking stays in the
directive, so a bad value is a located ``cab.option`` warning and the default is used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Option:
    """An ``option_spec`` converter: returns the option's text (a value is required unless
    ``flag_like``) and names its ``choices`` (allowed values, or empty for free text), its
    ``default`` (as the reader would write it, or a phrase) and a one-line ``description``."""

    description: str
    choices: tuple[str, ...] = ()
    default: str | None = None
    required: bool = True
    """Whether docutils refuses an empty value (the option must be given a value)."""
    fallback: str | None = None
    """The value used when the option is absent or not one of :attr:`choices`."""

    def __call__(self, argument: str | None) -> str:
        if argument is None:
            if self.required:  # docutils' unchanged_required says the same
                raise ValueError("argument required but none supplied")
            return ""
        return argument

    def describe(self) -> str:
        """The reference's words for this option: meaning, allowed values and default."""
        parts = [self.description]
        if self.choices:
            parts.append("allowed values: " + ", ".join(f"``{c}``" for c in self.choices))
        if self.default is not None:
            parts.append(f"default: {self.default}")
        return "; ".join(parts)


def choice_option(
    description: str, choices: tuple[str, ...], default: str, *, required: bool = True
) -> Option:
    """An :class:`Option` with a fixed set of values, the default written as a literal."""
    return Option(description, choices, f"``{default}``", required, default)
