"""files: reading inputs with one-line errors, and atomic writes that never leave debris."""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from pathlib import Path

import pytest

from storymap import files
from storymap.errors import InputError, OutputError
from storymap.files import article_format, is_story_file, read_text, write_atomic

TEXT = "Petro flew to Bogotá — “¡hola!” 😀\nSecond line.\n"


def error_of(path) -> str:
    with pytest.raises(InputError) as info:
        read_text(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert info.value.exit_code == 2
    return message


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- reading


def test_reads_utf8(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode("utf-8"))
    assert read_text(p) == TEXT
    assert read_text(str(p)) == TEXT


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_marks_are_honoured_and_dropped(tmp_path, bom, codec):
    p = tmp_path / "a.txt"
    p.write_bytes(bom + TEXT.encode(codec))
    assert read_text(p) == TEXT


def test_newlines_are_normalised(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"one\r\ntwo\rthree\n")
    assert read_text(p) == "one\ntwo\nthree\n"


def test_invalid_utf8_names_the_byte_and_its_offset(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes(b"Line one\nBogot\xe1 is the capital\n")
    message = error_of(p)
    assert "not UTF-8 text: invalid byte 0xe1 at offset 14 (line 2)" in message


def test_invalid_utf16_after_a_bom(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone high surrogate
    assert "not UTF-16 text" in error_of(p)


def test_missing_file(tmp_path):
    assert error_of(tmp_path / "nope.txt").endswith(": no such file")


def test_missing_file_under_a_regular_file(tmp_path):
    (tmp_path / "plain").write_text("x")
    assert "no such file" in error_of(tmp_path / "plain" / "a.txt")


def test_directory(tmp_path):
    assert error_of(tmp_path).endswith(": is a directory, expected a file")


def test_device(tmp_path):
    assert error_of("/dev/null").endswith(": is a device, expected a file")


def test_nul_in_the_name():
    assert error_of("a\x00b.txt").endswith(": not a valid file name")
    with pytest.raises(InputError, match="not a valid file name"):  # a wrong argument: exit code 2
        write_atomic("a\x00b.html", "x")


def test_binary_with_nul_bytes(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"abc\x00def" * 10)
    assert "looks like a binary file" in error_of(p)


def test_utf16_without_bom_gets_a_hint(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("Plain words here".encode("utf-16-le"))
    assert "UTF-16 without a byte-order mark?" in error_of(p)


@pytest.mark.parametrize(("data", "what"), [(b"%PDF-1.7\n...", "PDF"), (b"\x89PNG\r\n\x1a\n", "PNG")])
def test_known_binary_formats_are_named(tmp_path, data, what):
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    assert f"looks like a binary file (a {what}" in error_of(p)


def test_control_character_soup_is_binary(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(bytes(range(1, 32)) * 20)
    assert "many control characters" in error_of(p)


def test_permission_denied(tmp_path, monkeypatch):
    p = tmp_path / "a.txt"
    p.write_text("hello")

    def deny(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    # chmod does not stop root, so refuse at the open call itself
    monkeypatch.setattr(files.os, "open", deny)
    assert error_of(p).endswith(": permission denied")


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbffrom stdin\r\n")))
    assert read_text("-") == "from stdin\n"


def test_stdin_errors_name_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"ok \xff")))
    with pytest.raises(InputError, match=r"^<stdin>: not UTF-8 text: invalid byte 0xff at offset 3"):
        read_text("-")


def test_too_large_input_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 10)
    p = tmp_path / "a.txt"
    p.write_text("x" * 11)
    assert "too large" in error_of(p)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"),
        ("a.TEXT", "txt"),
        ("README", "txt"),
        ("-", "txt"),
        ("a.md", "md"),
        ("a.Markdown", "md"),
        ("a.html", "html"),
        ("a.HTM", "html"),
    ],
)
def test_article_format(name, fmt):
    assert article_format(name) == fmt


def test_unsupported_format_is_an_input_error():
    with pytest.raises(InputError, match=r"^a\.pdf: unsupported file type '\.pdf'"):
        article_format("a.pdf")


def test_is_story_file():
    assert is_story_file("s.yaml") and is_story_file("s.YML") and is_story_file(Path("x/s.json"))
    assert not is_story_file("a.txt") and not is_story_file("yaml")


# --------------------------------------------------------------------------- writing


def test_write_creates_parents_and_returns_the_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_atomic("out/deep/map.html", "<p>é</p>")
    assert path == tmp_path / "out" / "deep" / "map.html" and path.is_absolute()
    assert path.read_bytes() == "<p>é</p>".encode()
    assert leftovers(path.parent) == []


def test_write_replaces_and_keeps_the_mode(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_new_file_is_readable_not_private(tmp_path):
    path = write_atomic(tmp_path / "map.html", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.html"
    real.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_output_path_is_a_directory(tmp_path):
    with pytest.raises(InputError) as info:  # a wrong argument, refused before anything is written
        write_atomic(tmp_path, "x")
    assert str(info.value) == f"{tmp_path}: is a directory, expected a file path"
    assert info.value.exit_code == 2
    assert leftovers(tmp_path) == []


def test_unwritable_output_under_a_regular_file(tmp_path):
    # A parent that is a regular file is unwritable for every user, root included.
    (tmp_path / "plain").write_text("x")
    target = tmp_path / "plain" / "sub" / "map.html"
    with pytest.raises(OutputError) as info:
        write_atomic(target, "x")
    assert (
        str(info.value)
        == f"{target}: cannot create directory {target.parent}: {tmp_path / 'plain'} is a file"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain"]


def test_unwritable_directory_says_permission_denied(tmp_path, monkeypatch):
    def deny(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", deny)
    with pytest.raises(OutputError, match=r"cannot create a file in .*: permission denied$"):
        write_atomic(tmp_path / "map.html", "x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, step):
    target = tmp_path / "map.html"
    target.write_text("old")

    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, step, fail)
    with pytest.raises(OutputError, match=r"map\.html: cannot write: no space left on device$"):
        write_atomic(target, "new" * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_interrupted_write_leaves_no_temp_file(tmp_path, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "map.html", "x")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_text_that_cannot_be_utf8_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot encode as UTF-8"):
        write_atomic(tmp_path / "map.html", "bad \ud800 surrogate")
    assert list(tmp_path.iterdir()) == []


def test_long_file_name_still_gets_a_temp_file(tmp_path):
    path = write_atomic(tmp_path / ("n" * 250 + ".html"), "x")
    assert path.read_text() == "x" and leftovers(tmp_path) == []


def test_bytes_are_written_as_they_are(tmp_path):
    path = write_atomic(tmp_path / "shot.png", b"\x89PNG\x00")
    assert path.read_bytes() == b"\x89PNG\x00"


def _dead_pid() -> int:
    import subprocess

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_write_removes_its_targets_temp_files_left_by_a_dead_run(tmp_path):
    dead, alive = _dead_pid(), os.getppid()
    for pid in (dead, alive):
        (tmp_path / f".map.html.storymap-{pid}.abc123.tmp").write_text("half")
    (tmp_path / f".other.html.storymap-{dead}.abc123.tmp").write_text("half")
    write_atomic(tmp_path / "map.html", "x")
    assert leftovers(tmp_path) == sorted(
        [f".map.html.storymap-{alive}.abc123.tmp", f".other.html.storymap-{dead}.abc123.tmp"]
    )


def test_a_folder_sweep_removes_the_dead_runs_temp_files_of_every_target(tmp_path):
    dead, alive = _dead_pid(), os.getppid()
    names = [
        f".a.html.storymap-{dead}.x1.tmp",
        f".b.storymap-1.json.storymap-{dead}.x2.tmp",  # a target whose own name has the mark
        f".c.html.storymap-{alive}.x3.tmp",  # a run in progress
        "notes.tmp",  # not storymap's
    ]
    for name in names:
        (tmp_path / name).write_text("half")
    write_atomic(tmp_path / "d.html", "x", sweep=False, sync_folder=False)
    assert len(leftovers(tmp_path)) == 4  # a write told not to sweep leaves them
    files.remove_stale_temps(tmp_path)
    assert leftovers(tmp_path) == sorted(names[2:])
    files.sync_folder(tmp_path)
    files.remove_stale_temps(tmp_path / "missing")  # nothing to do, no error
    assert (tmp_path / "d.html").read_text() == "x"
