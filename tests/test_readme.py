"""Every Python snippet in the README runs as written (on the bundled example, in a fresh process)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)


def test_the_readme_has_python_snippets():
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet-{i + 1}" for i in range(len(SNIPPETS))])
def test_readme_snippet_runs(snippet, tmp_path):
    # "article.txt" in the README is the reader's article: here, the bundled example.
    shutil.copy(ROOT / "examples" / "us-colombia-white-house.txt", tmp_path / "article.txt")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_render_is_callable_after_build_imported_the_render_package():
    # storymap.build() imports the storymap.render package, which becomes the attribute
    # storymap.render: it must still be the render function's callable.
    code = (
        "import storymap\n"
        "result = storymap.build(write=False)\n"
        "html = storymap.render(result.story, tiles='OpenStreetMap', still=False)\n"
        "assert html.startswith('<!DOCTYPE html>') and 'tile.openstreetmap.org' in html\n"
        "from storymap import render\n"
        "assert render(result.story, still=False) == storymap.pipeline.render(result.story, still=False)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
