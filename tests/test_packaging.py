"""The installed package carries its data: build the example from outside the checkout."""

from __future__ import annotations

import json
import re
import subprocess
import sys


def test_installed_storymap_builds_the_example_from_any_directory(tmp_path):
    # Run from an empty directory so `import storymap` resolves to the installed
    # package, not the checkout: missing geodata/templates/examples fail here.
    done = subprocess.run(
        [sys.executable, "-m", "storymap", "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "output" / "us-colombia-white-house.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="storymap-data">(.*?)</script>', html, re.S)
    assert len(json.loads(block.group(1))["places"]) >= 10
