"""One exception family whose messages are fit to show a user as they are.

Each message names the file (or argument), what was expected and what was found.
The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``.
"""

from __future__ import annotations


class StorymapError(Exception):
    """Base of every error storymap raises on purpose."""

    exit_code = 1


class InputError(StorymapError):
    """An input file or argument is missing, unreadable or invalid (exit code 2)."""

    exit_code = 2

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}" if source else problem)


class OutputError(StorymapError):
    """An output cannot be written (exit code 1); nothing partial is left behind."""

    exit_code = 1

    def __init__(self, target: str, problem: str) -> None:
        self.target = target
        self.problem = problem
        super().__init__(f"{target}: {problem}")


class MissingExtra(StorymapError):
    """An optional package a feature needs is not installed (exit code 1): names what to install."""

    exit_code = 1

    def __init__(self, feature: str, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{feature} needs {package}: pip install 'storymap[{extra}]' (or pip install {package})"
        )
