"""The typed config object: one field per ``cab_*`` value, read through one accessor."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from sphinx.config import Config

from sphinxcontrib_cab.config import CONFIG_VALUES, CabConfig, cab_config


def _config(**values: str) -> Config:
    config = Config()
    for value in CONFIG_VALUES:
        config.add(value.name, value.default, value.rebuild, value.types, value.description)  # type: ignore[arg-type]
    for name, text in values.items():
        setattr(config, name, text)
    return config


def test_every_config_value_is_a_field() -> None:
    fields = [field.name for field in dataclasses.fields(CabConfig)]
    assert fields == [value.name.removeprefix("cab_") for value in CONFIG_VALUES]


def test_read_from_a_config_an_app_or_an_environment() -> None:
    config = _config(cab_command="bench go", cab_task_pages=" /tasks/ ")
    for holder in (config, SimpleNamespace(config=config)):
        cab = cab_config(holder)  # type: ignore[arg-type]
        assert cab.command == "bench go"
        assert cab.task_pages_folder == "tasks"
        assert cab.default_view == "normal"


def test_the_source_settings_are_configuration_values() -> None:
    from sphinxcontrib_cab.config import CONFIG_VALUES, SOURCE_SETTINGS

    assert set(SOURCE_SETTINGS) <= {value.name for value in CONFIG_VALUES}
    assert SOURCE_SETTINGS[:2] == ("cab_snapshot_root", "cab_runs_path")
