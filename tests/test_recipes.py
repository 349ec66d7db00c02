"""The recipes for a benchmark repository that is not a Python package work as shown.

``examples/benchmark-repo/`` is the repository the recipes page shows file by file (it includes
them, so page and files cannot differ): its requirements, Read the Docs and GitHub Actions files
must say the right things, the workflow's commands must pass on the sample snapshot, and this
project's ``.pre-commit-hooks.yaml`` must work for pre-commit (``pre-commit try-repo``, which
installs the hook from this checkout through the package index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import InvalidRequirement, Requirement
from snippets import leaked_markup, unrendered

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "benchmark-repo"
DATA = REPO / "data"
BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")


def load(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hooks() -> dict[str, dict[str, object]]:
    manifest = load(REPO / ".pre-commit-hooks.yaml")
    assert isinstance(manifest, list)
    return {hook["id"]: hook for hook in manifest}


def requirement_lines() -> tuple[list[str], list[str]]:
    """The requirements of the example's ``docs/requirements.txt``: active, commented out
    (comment lines that are not a requirement are prose)."""
    active, commented = [], []
    for line in (EXAMPLE / "docs" / "requirements.txt").read_text("utf-8").splitlines():
        text = line.lstrip("# ").strip()
        try:
            Requirement(text)
        except InvalidRequirement:
            continue
        (commented if line.startswith("#") else active).append(text)
    return active, commented


def test_requirements_pin_the_extension_by_tag_with_the_pypi_form_commented() -> None:
    active, commented = requirement_lines()
    [pinned] = [Requirement(line) for line in active]
    assert pinned.name == "sphinxcontrib-cab"
    assert pinned.url is not None and pinned.url.startswith("git+https://")
    assert "@v" in pinned.url.rsplit("/", 1)[-1]
    [later] = [Requirement(line) for line in commented]
    assert later.name == "sphinxcontrib-cab" and str(later.specifier).startswith("==")


def test_read_the_docs_installs_the_requirements_not_the_repository() -> None:
    config = load(EXAMPLE / ".readthedocs.yaml")
    assert isinstance(config, dict)
    assert config["version"] == 2
    assert config["python"]["install"] == [{"requirements": "docs/requirements.txt"}]
    assert (EXAMPLE / config["sphinx"]["configuration"]).is_file()
    assert config["sphinx"]["fail_on_warning"] is True


def workflow_commands() -> list[str]:
    workflow = load(EXAMPLE / ".github" / "workflows" / "docs.yml")
    assert isinstance(workflow, dict)
    [job] = workflow["jobs"].values()
    return [step["run"] for step in job["steps"] if "run" in step]


def test_workflow_installs_checks_then_builds_with_warnings_as_errors() -> None:
    install, check, build = workflow_commands()
    assert install == "python -m pip install -r docs/requirements.txt"
    assert check.startswith("sphinxcontrib-cab check ")
    assert build.startswith("sphinx-build -nW ")


def test_workflow_commands_pass_on_a_benchmark_repository(tmp_path: Path) -> None:
    """Every command after the install, run in a copy of the example holding the sample data,
    with this environment's ``sphinxcontrib-cab`` and ``sphinx-build`` first on ``PATH``."""
    root = tmp_path / "bench"
    shutil.copytree(EXAMPLE, root)
    shutil.copytree(DATA, root / "data")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command in workflow_commands()[1:]:
        done = subprocess.run(
            command, shell=True, cwd=root, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
        assert "WARNING" not in done.stderr
    html = (root / "docs" / "_build" / "html" / "index.html").read_text("utf-8")
    used = ["cab-receipt", "cab-leaderboard", "cab-count", "cab-meta"]
    assert unrendered(html, used) == []
    assert leaked_markup(html) == []


def test_pre_commit_hook_runs_the_check_command() -> None:
    hook = hooks()["cab-check"]
    assert hook["entry"] == "sphinxcontrib-cab check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["args"] == ["."]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert str(hook["entry"]).split()[0] in scripts


def test_example_pre_commit_config_uses_the_hook_at_the_pinned_tag() -> None:
    config = load(EXAMPLE / ".pre-commit-config.yaml")
    assert isinstance(config, dict)
    [repo] = config["repos"]
    assert {hook["id"] for hook in repo["hooks"]} <= set(hooks())
    active, _ = requirement_lines()
    assert active[0].endswith(f"@{repo['rev']}")


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (test extra)")
def test_pre_commit_validates_the_manifest_and_the_example_config() -> None:
    assert PRE_COMMIT is not None
    for command, path in (
        ("validate-manifest", REPO / ".pre-commit-hooks.yaml"),
        ("validate-config", EXAMPLE / ".pre-commit-config.yaml"),
    ):
        done = subprocess.run([PRE_COMMIT, command, str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(REPO), "cab-check", "--all-files"],
        cwd=repo,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (test extra)")
@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_try_repo_passes_a_good_snapshot_and_fails_a_broken_one(
    tmp_path: Path,
) -> None:
    """pre-commit installs the hook from this checkout (uncommitted changes included) into its
    own environment, through the package index only, and runs it in a repository whose root is
    a snapshot."""
    repo = tmp_path / "bench"
    shutil.copytree(DATA, repo)
    git = ["git", "-c", "user.name=cab", "-c", "user.email=cab@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "snapshot"], cwd=repo, check=True)

    good = try_repo(repo, tmp_path / "home")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    (repo / "site" / "src" / "data" / "meta.json").write_text("{", encoding="utf-8")
    bad = try_repo(repo, tmp_path / "home")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "meta.json" in bad.stdout
