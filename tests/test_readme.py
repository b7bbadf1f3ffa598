"""Every command of README.md runs as pasted.

The command lines of the README's ```sh blocks are run in order, each by ``bash -c`` as a user
would paste it, with exit code 0 required. They run in a copy of the repository under
tmp_path, with ``NGOGRAPH_DATA`` and ``NGOGRAPH_STORE`` pointing into that copy and the
virtual environment's ``bin/`` first on ``PATH``. Three adaptations, and no others:

- ``make ...`` lines are not run: the suite itself runs inside ``make test``;
- a line starting ``oxigraph serve`` is the README's "in a second terminal" server: it is
  started in the background, waited for, and stopped by pid after the last command;
- ``127.0.0.1:7878`` becomes a free port, so that parallel test runs do not collide.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from contextlib import ExitStack
from pathlib import Path

import pytest

from ngograph.config import PROJECT_ROOT

from servers import free_port, serving

README = PROJECT_ROOT / "README.md"
PORT = "127.0.0.1:7878"
SKIPPED = ("make ",)
SERVER = "oxigraph serve "
PLACEHOLDER = re.compile(r"^[A-Z][A-Z_]{2,}$|[<>]|\.\.\.|\|")
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", ".ngograph", "build", "__pycache__", "*.egg-info",
                                     ".pytest_cache")


def sh_commands(markdown: str) -> list[str]:
    """The command lines of the ```sh blocks: comment-only and blank lines dropped,
    backslash continuations joined.

    >>> sh_commands("text\\n```sh\\nngograph build   # note\\n# only a comment\\n\\nngograph a \\\\\\n  --b c\\n```\\n"
    ...             "```\\nnot sh\\n```\\n")
    ['ngograph build   # note', 'ngograph a   --b c']
    """
    out, pending = [], ""
    for block in re.findall(r"^```sh\n(.*?)^```", markdown, re.M | re.S):
        for line in block.splitlines():
            line = pending + line
            if line.endswith("\\"):
                pending = line[:-1]
                continue
            pending = ""
            if line.strip() and not line.lstrip().startswith("#"):
                out.append(line.strip())
    return out


def placeholders(command: str) -> list[str]:
    """Words of a command (comments left out) that a user would have to replace.

    >>> placeholders("ngograph plot --figure matrix|map --output build/figures/NAME   # PNG and SVG")
    ['matrix|map', 'build/figures/NAME']
    >>> placeholders("ngograph query --list   # the SPARQL library ...")
    []
    """
    return [w for w in shlex.split(command, comments=True)
            if any(PLACEHOLDER.search(part) for part in re.split(r"[/=]", w))]


COMMANDS = sh_commands(README.read_text(encoding="utf-8"))
RUN = [c for c in COMMANDS if not c.startswith(SKIPPED)]


def test_readme_commands_found():
    assert len(RUN) >= 20
    assert any(c.startswith(SERVER) for c in RUN) and any(c.startswith("ngograph push ") for c in RUN)
    assert {c for c in COMMANDS if c.startswith(SKIPPED)} and all(c.startswith("make ") for c in set(COMMANDS) - set(RUN))


@pytest.mark.parametrize("command", COMMANDS)
def test_no_placeholder_in_readme_command(command):
    assert placeholders(command) == []


def test_every_readme_command_runs_as_pasted(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT, repo, ignore=COPY_IGNORE)
    port = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
           "NGOGRAPH_DATA": str(repo / "data"), "NGOGRAPH_STORE": str(repo / ".ngograph" / "store"),
           "MPLBACKEND": "Agg"}
    env.pop("NGOGRAPH_BASE", None)
    failures, outputs = [], {}
    with ExitStack() as stack:
        for command in RUN:
            command = command.replace(PORT, port)
            if command.startswith(SERVER):
                stack.enter_context(serving(["bash", "-c", f"exec {command}"], f"http://{port}", tmp_path / "server.log",
                                            cwd=repo, env=env))
                continue
            done = subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                                  timeout=300)
            if done.returncode != 0:
                failures.append(f"$ {command}\nexit {done.returncode}\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
            outputs[command] = done.stdout
        assert failures == [], "\n\n".join(failures)
        # the pushed graph answers on the server as it does in the embedded store
        [(remote_query, remote)] = [(c, out) for c, out in outputs.items()
                                    if c.startswith("ngograph query ") and "--endpoint" in c]
        local = subprocess.run(["bash", "-c", re.sub(r" --endpoint \S+", "", remote_query)], cwd=repo, env=env,
                               capture_output=True, text=True, timeout=300).stdout
        assert len(local.splitlines()) > 3 and remote == local
    # what the commands say they write is there
    for path in ("build/ngograph.ttl", "build/organisations.graphml", "build/countries.csv",
                 "build/figures/network.png", "build/figures/country-matrix.svg", "build/figures/brokerage.png"):
        assert (repo / path).stat().st_size > 0, path


def test_notebooks_readme_opens_them_with_the_jupyter_of_the_notebooks_extra():
    extras = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(re.fullmatch(r"jupyterlab==\d+\.\d+\.\d+", req) for req in extras["notebooks"]), extras["notebooks"]
    commands = sh_commands((PROJECT_ROOT / "notebooks" / "README.md").read_text(encoding="utf-8"))
    assert ".venv/bin/pip install -e '.[notebooks]'" in commands
    assert ".venv/bin/jupyter lab notebooks/" in commands
