"""Shared machinery for the browser, theme, hostile-input and determinism tests.

Builds run ``sphinx-build`` in a subprocess (so each build is a fresh interpreter, as a user's
would be), sites are served from 127.0.0.1 by a threaded ``http.server``, and pages are driven
by Debian's Chromium through Playwright. Nothing here downloads a browser.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from playwright.sync_api import Browser, BrowserContext, Playwright

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
ROOTS = TESTS / "roots"
MINI_SNAPSHOT = TESTS / "snapshots" / "mini"
ARTIFACTS = REPO / "test-artifacts"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The stand-in program prints each argument followed by a NUL; anything else the pasted text
# manages to run shows up in stdout, stderr, the exit status or the sentinel file.
STAND_IN = "codingagentbench() { printf '%s\\0' \"$@\"; }\n"
SENTINEL = "cab-pwned"

# Where each of the four sources lives inside a snapshot folder (the defaults of config.py).
SNAPSHOT_LAYOUT = {
    "runs": "results/published",
    "tasks": "site/src/data/tasks.json",
    "exploits": "results/exploits/_catalog.yaml",
    "meta": "site/src/data/meta.json",
}


# -- building ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """One finished ``sphinx-build`` run."""

    srcdir: Path
    outdir: Path
    builder: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def warnings(self) -> list[str]:
        """Warning and error lines Sphinx printed (it prints them on stderr)."""
        return [line for line in self.stderr.splitlines() if line.strip()]


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(
        source,
        target,
        ignore=shutil.ignore_patterns("_build", "__pycache__", "*.pyc"),
        dirs_exist_ok=True,
    )
    return target


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    builder: str = "html",
    *,
    doctreedir: Path | None = None,
    extra: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    strict: bool = True,
    timeout: float = 600,
) -> Build:
    """Run ``python -m sphinx`` on ``srcdir``; ``strict`` adds ``-nW --keep-going``."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-q"]
    if strict:
        command += ["-n", "-W", "--keep-going"]
    command += ["-d", str(doctreedir or outdir.parent / f".doctrees-{outdir.name}")]
    command += [*extra, str(srcdir), str(outdir)]
    run_env = {**os.environ, "PYTHONWARNINGS": "ignore", "LC_ALL": "C.UTF-8"}
    run_env.update(env or {})
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env=run_env,
        timeout=timeout,
        check=False,
    )
    return Build(srcdir, outdir, builder, done.returncode, done.stdout, done.stderr)


def require_clean(build: Build) -> Build:
    """Fail with Sphinx's own output unless the build succeeded without a warning."""
    if build.returncode != 0 or build.warnings:
        pytest.fail(
            f"sphinx-build -b {build.builder} {build.srcdir} failed "
            f"(exit {build.returncode}):\n{build.stderr[-6000:]}\n{build.stdout[-2000:]}",
            pytrace=False,
        )
    return build


def install_snapshot(snapshot: Path, project: Path, folder: str = "data") -> Path:
    """Copy ``snapshot`` into ``project/folder`` (a test root's default ``cab_snapshot_root``)."""
    target = project / folder
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(snapshot, target)
    return target


def html_files(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html") if "_static" not in p.parts)


def tree_bytes(outdir: Path, patterns: Iterable[str]) -> dict[str, bytes]:
    """Relative path -> bytes for every file under ``outdir`` matching one of ``patterns``."""
    found: dict[str, bytes] = {}
    for pattern in patterns:
        for path in outdir.rglob(pattern):
            if path.is_file():
                found[path.relative_to(outdir).as_posix()] = path.read_bytes()
    return dict(sorted(found.items()))


# -- bash ---------------------------------------------------------------------------------------


def bash_arguments(command: str, workdir: Path) -> list[str]:
    """Paste ``command`` into bash after the stand-in program; return the arguments it received."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.fail("bash is required to check reproduce commands", pytrace=False)
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "paste.sh"
    script.write_bytes((STAND_IN + command + "\n").encode("utf-8"))
    done = subprocess.run(
        [bash, "--norc", "--noprofile", str(script)],
        cwd=workdir,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        timeout=10,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stderr == b"", done.stderr.decode("utf-8", "replace")
    assert not (workdir / SENTINEL).exists(), "the pasted command ran something else"
    assert done.stdout.endswith(b"\0"), done.stdout[-200:]
    return [arg.decode("utf-8") for arg in done.stdout[:-1].split(b"\0")]


COUNTING_STAND_IN = (
    'codingagentbench() { cab_n=$((cab_n + 1)); printf \'%s\\0\' "$@" > "args.$cab_n"; }\ncab_n=0\n'
)


def bash_arguments_many(commands: Sequence[str], workdir: Path) -> list[list[str] | None]:
    """Paste every command into one bash script; the arguments each one passed (``None``: it
    did not call the program). Each command must call it at most once, in order."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.fail("bash is required to check reproduce commands", pytrace=False)
    workdir.mkdir(parents=True, exist_ok=True)
    parts = [COUNTING_STAND_IN]
    for number, command in enumerate(commands, start=1):
        parts.append(f"{command}\ncab_n={number}\n")
    script = workdir / "paste-all.sh"
    script.write_bytes("".join(parts).encode("utf-8"))
    done = subprocess.run(
        [bash, "--norc", "--noprofile", str(script)],
        cwd=workdir,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert done.stderr == b"", done.stderr.decode("utf-8", "replace")[-2000:]
    assert done.stdout == b"", done.stdout[-2000:]
    assert not (workdir / SENTINEL).exists(), "a pasted command ran something else"
    results: list[list[str] | None] = []
    for number in range(1, len(commands) + 1):
        out = workdir / f"args.{number}"
        if not out.exists():
            results.append(None)
            continue
        raw = out.read_bytes()
        assert raw.endswith(b"\0")
        results.append([arg.decode("utf-8") for arg in raw[:-1].split(b"\0")])
    return results


# -- serving ----------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@functools.cache
def serve(directory: Path) -> str:
    """Serve ``directory`` on a free port of 127.0.0.1 for the rest of the process; its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {directory}", daemon=True)
    thread.start()
    atexit.register(server.shutdown)
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the browser ----------------------------------------------------------------------------------


class _Chromium:
    """One Playwright driver and one Chromium for the whole test session."""

    playwright: Playwright | None = None
    browser: Browser | None = None

    @classmethod
    def get(cls) -> Browser:
        if cls.browser is None:
            if not CHROMIUM.exists():
                pytest.fail(
                    f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(apt-get install chromium); browser tests never download a browser",
                    pytrace=False,
                )
            from playwright.sync_api import sync_playwright

            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        return cls.browser

    @classmethod
    def stop(cls) -> None:
        if cls.browser is not None:
            cls.browser.close()
            cls.browser = None
        if cls.playwright is not None:
            cls.playwright.stop()
            cls.playwright = None


def chromium() -> Browser:
    """The session's Chromium (launched on first use, closed by :func:`stop_chromium`)."""
    return _Chromium.get()


def stop_chromium() -> None:
    _Chromium.stop()


def new_context(
    base_url: str,
    *,
    dark: bool = False,
    javascript: bool = True,
    viewport: tuple[int, int] = (1280, 900),
) -> BrowserContext:
    """A fresh profile (empty localStorage) allowed to use the clipboard."""
    context = chromium().new_context(
        base_url=base_url,
        java_script_enabled=javascript,
        color_scheme="dark" if dark else "light",
        viewport={"width": viewport[0], "height": viewport[1]},
    )
    origin = base_url.rstrip("/")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    context.set_default_timeout(10_000)
    return context


THEME_DARK_SETUP = """
(() => {
  try {
    localStorage.setItem('theme', 'dark');        // furo, pydata, book
    localStorage.setItem('mode', 'dark');         // pydata (older)
  } catch (e) {}
})();
"""
"""Runs before any page script: asks each theme for its own dark mode."""

THEME_DARK_APPLY = """
() => {
  document.documentElement.dataset.theme = 'dark';
  document.documentElement.dataset.mode = 'dark';
  if (document.body) document.body.dataset.theme = 'dark';
}
"""
"""Applied after load: the attributes the themes' dark switches set."""


PWNED_TRAP = """
(() => {
  window.__cab_alerts = [];
  for (const name of ['alert', 'confirm', 'prompt']) {
    const original = window[name];
    window[name] = (...args) => { window.__cab_alerts.push([name, String(args[0])]); };
  }
})();
"""
"""Runs before any page script: records alert, confirm and prompt calls."""


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: tuple[float, float, float], bg: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio of two opaque sRGB colours."""
    high, low = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


EFFECTIVE_COLOURS = """
(element) => {
  const parse = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const blend = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  // Walk up until the stacked backgrounds are opaque; the canvas below everything is white.
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg && bg[3] > 0) layers.push(bg);
    if (bg && bg[3] >= 1) break;
  }
  let background = [255, 255, 255, 1];
  for (const layer of layers.reverse()) background = blend(layer, background);
  const fg = blend(parse(getComputedStyle(element).color), background);
  return {fg: fg.slice(0, 3), bg: background.slice(0, 3)};
}
"""
"""The computed text colour and the effective (composited) background behind ``element``."""
