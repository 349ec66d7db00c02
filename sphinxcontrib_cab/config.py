"""Configuration values: one declarative table, registered in setup() and rendered into the docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx.config import Config

from .snapshot.paths import (
    DEFAULT_EXPLOITS,
    DEFAULT_META,
    DEFAULT_RUNS,
    DEFAULT_TASKS,
    SOURCE_NAMES,
)
from .snapshot.signature import DEFAULT_NAMESPACE, SIGNATURE_NAME
from .warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .snapshot.citation import Work


@dataclass(frozen=True, slots=True)
class ConfigValue:
    name: str
    default: Any
    types: tuple[type, ...]
    description: str
    rebuild: str = "env"


CONFIG_VALUES: tuple[ConfigValue, ...] = (
    ConfigValue(
        "cab_snapshot_root",
        "data",
        (str,),
        "Folder of the pinned snapshot, relative to the folder of conf.py. "
        "The four source paths below are relative to it.",
    ),
    ConfigValue(
        "cab_runs_path",
        DEFAULT_RUNS,
        (str,),
        "Folder of run-record ``*.jsonl`` files, relative to ``cab_snapshot_root``.",
    ),
    ConfigValue(
        "cab_tasks_path",
        DEFAULT_TASKS,
        (str,),
        "The task catalogue, relative to ``cab_snapshot_root``.",
    ),
    ConfigValue(
        "cab_exploits_path",
        DEFAULT_EXPLOITS,
        (str,),
        "The exploit ledger, relative to ``cab_snapshot_root``.",
    ),
    ConfigValue(
        "cab_meta_path",
        DEFAULT_META,
        (str,),
        "The methodology pin, relative to ``cab_snapshot_root``.",
    ),
    ConfigValue(
        "cab_command",
        "codingagentbench run",
        (str,),
        "The program and subcommand the reproduce command starts with.",
    ),
    ConfigValue(
        "cab_default_view",
        "normal",
        (str,),
        "The view a first-time reader sees: ``normal`` or ``nerds``.",
        rebuild="html",
    ),
    ConfigValue(
        "cab_assets_on",
        "cab-pages",
        (str,),
        "Which HTML pages load ``cab.css``, ``cab.js`` and the Normal / Nerds control: "
        "``cab-pages`` (only pages with cab content; never the index, search or a plain page) "
        "or ``all`` (every page, for a site whose own templates or pages use cab's classes).",
        rebuild="html",
    ),
    ConfigValue(
        "cab_copy_buttons",
        "auto",
        (str,),
        "cab's copy buttons after command blocks (reproduce commands, citations): ``auto`` "
        "adds them unless sphinx-copybutton is loaded (its button then copies the block, so "
        "each block has one), ``always`` adds them anyway, ``never`` leaves blocks without. "
        "The per-value buttons in provenance lists do not depend on it.",
        rebuild="html",
    ),
    ConfigValue(
        "cab_task_pages",
        "",
        (str,),
        "Folder (relative to the source folder) to generate one page per task into, "
        "as ``<folder>/<category>/<slug>``; empty turns task pages off.",
    ),
    ConfigValue(
        "cab_digits",
        3,
        (int,),
        "Decimals shown for scores between 0 and 1 (headline, Ships, Stays and the score axes), "
        "from 0 to 6. Seconds keep one decimal and tokens none. Sorting always uses the exact "
        "values.",
    ),
    ConfigValue(
        "cab_allowed_signers",
        "",
        (str,),
        "OpenSSH ``allowed_signers`` file naming who may sign a snapshot, relative to the folder "
        f"of conf.py. Each snapshot's ``{SIGNATURE_NAME}`` (beside its ``meta.json``) is "
        "verified against it; empty: signatures are shown as not verified.",
    ),
    ConfigValue(
        "cab_signature_namespace",
        DEFAULT_NAMESPACE,
        (str,),
        "The ``ssh-keygen -Y`` namespace receipt signatures must be made in.",
    ),
    ConfigValue(
        "cab_citation",
        {},
        (dict,),
        "What ``cab-cite`` cites: a dict with ``authors`` (a list; ``'Family, Given'`` for a "
        "person, a plain name for an organisation; default: ``author``), ``title`` (default: "
        "``project``), ``url``, ``doi`` (when there is one) and ``publisher``.",
    ),
)

CITATION_KEYS = ("authors", "title", "url", "doi", "publisher")

CONFIG_CHOICES: dict[str, tuple[str, ...]] = {
    "cab_default_view": ("normal", "nerds"),
    "cab_assets_on": ("cab-pages", "all"),
    "cab_copy_buttons": ("auto", "always", "never"),
}

MAX_DIGITS = 6
"""The most decimals ``cab_digits`` may ask for."""


def register_config(app: Sphinx) -> None:
    for value in CONFIG_VALUES:
        app.add_config_value(
            value.name,
            value.default,
            value.rebuild,  # type: ignore[arg-type]
            types=value.types,
            description=value.description,
        )
    app.connect("config-inited", validate_config)


def validate_config(app: Sphinx, config: Config) -> None:
    """Replace an invalid value by its default, with a warning that names the allowed values."""
    for value in CONFIG_VALUES:
        current = getattr(config, value.name)
        if not isinstance(current, value.types):
            warn(
                f"{value.name} must be {' or '.join(t.__name__ for t in value.types)}, "
                f"not {type(current).__name__}; using {value.default!r}",
                Subtype.config,
            )
            setattr(config, value.name, value.default)
            continue
        if (
            isinstance(current, int)
            and value.name == "cab_digits"
            and not 0 <= current <= MAX_DIGITS
        ):
            warn(
                f"cab_digits = {current!r} is not between 0 and {MAX_DIGITS}; "
                f"using {value.default!r}",
                Subtype.config,
            )
            setattr(config, value.name, value.default)
            continue
        keys = sorted(map(str, current)) if isinstance(current, dict) else []
        unknown = ", ".join(repr(key) for key in keys if key not in CITATION_KEYS)
        if value.name == "cab_citation" and unknown:
            warn(
                f"cab_citation has unknown keys {unknown}; known: {', '.join(CITATION_KEYS)}",
                Subtype.config,
            )
        choices = CONFIG_CHOICES.get(value.name)
        if choices is not None and current not in choices:
            warn(
                f"{value.name} = {current!r} is not one of {', '.join(map(repr, choices))}; "
                f"using {value.default!r}",
                Subtype.config,
            )
            setattr(config, value.name, value.default)


SOURCE_SETTINGS: tuple[str, ...] = tuple(
    "cab_snapshot_root" if source == "root" else f"cab_{source}_path" for source in SOURCE_NAMES
)
"""The value behind each source path, in :data:`~.snapshot.paths.SOURCE_NAMES` order: warnings
about a source name it."""


@dataclass(frozen=True, slots=True)
class CabConfig:
    """The ``cab_*`` values of one build, typed (field = the value's name without ``cab_``)."""

    snapshot_root: str
    runs_path: str
    tasks_path: str
    exploits_path: str
    meta_path: str
    command: str
    default_view: str
    assets_on: str
    copy_buttons: str
    task_pages: str
    digits: int
    allowed_signers: str
    signature_namespace: str
    citation: dict[str, Any]

    @property
    def task_pages_folder(self) -> str:
        """``cab_task_pages`` without surrounding blanks and slashes; empty when pages are off."""
        return self.task_pages.strip().strip("/")


def citation_work(config: Config) -> Work:
    """The :class:`~.snapshot.citation.Work` ``cab_citation`` describes, with ``project`` and
    ``author`` as the defaults for title and authors."""
    from .snapshot.citation import Work

    given = cab_config(config).citation
    authors = given.get("authors") or [config.author]
    if isinstance(authors, str):
        authors = [authors]
    return Work(
        authors=tuple(str(author) for author in authors),
        title=str(given.get("title") or config.project),
        url=str(given.get("url") or ""),
        doi=str(given.get("doi") or ""),
        publisher=str(given.get("publisher") or ""),
    )


def cab_config(holder: Config | BuildEnvironment | Sphinx) -> CabConfig:
    """The :class:`CabConfig` of a Sphinx config, or of the config of an environment or an app:
    the one way code reads a ``cab_*`` value."""
    config = holder if isinstance(holder, Config) else holder.config
    return CabConfig(
        **{value.name.removeprefix("cab_"): getattr(config, value.name) for value in CONFIG_VALUES}
    )
