"""All disk I/O of storymap: reading inputs with clear errors, writing outputs atomically.

Inputs are decoded strictly (UTF-8, or UTF-8/16/32 with a byte-order mark) so a wrong
encoding is reported with its byte offset instead of turning into mojibake on a public
map.  Outputs go to a temporary file in the target directory, are flushed to disk and then
renamed over the target, so a reader sees the old file or the new one, never half of one,
and no temporary file survives a failure.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from storymap.errors import InputError, OutputError

#: Refuse inputs bigger than this: no news article is, and /dev/zero would never end.
MAX_INPUT_BYTES = 256 * 1024 * 1024
#: Standard input (``-``) that stays silent this long (seconds) is refused: a forgotten pipe or
#: a FIFO nobody writes to must not hang a script.
STDIN_TIMEOUT = 30.0

ARTICLE_SUFFIXES = {
    "": "txt",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".mdown": "md",
    ".mkd": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
STORY_SUFFIXES = (".yaml", ".yml", ".json")
#: Temporary files are ``.NAME.storymap-PID.RANDOM.tmp`` beside the target.
TEMP_MARK = ".storymap-"
TEMP_SUFFIX = ".tmp"
_NAME_MAX = 255

# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (docx, odt, xlsx ...)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
)
# Control characters that never occur in text (tab, newlines, form feed and ESC do).
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27})


def read_text(path: str | Path) -> str:
    """Read a text input (``"-"`` is standard input) as a str with ``\\n`` newlines.

    Raises ``InputError`` naming the file for: no such file, a directory, permission denied,
    a binary file, bytes that are not UTF-8 (with the offset of the first bad byte).
    """
    name = str(path)
    if name == "-":
        data = _read_stdin()
        name = "<stdin>"
    else:
        data = _read_file(Path(path), name)
    text = _decode(data, name)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_article(path: str | Path) -> tuple[str, str]:
    """An article file's text and format (``"txt"``, ``"md"`` or ``"html"``, from its suffix).

    A web page is decoded by its own charset declaration (``<meta charset>``), as a browser does;
    text and Markdown must be UTF-8 (see ``read_text``).
    """
    fmt = article_format(path)
    if fmt != "html" or str(path) == "-":
        return read_text(path), fmt
    from storymap.webpage import decode_html

    name = str(path)
    data = _read_file(Path(path), name)
    binary = _binary_kind(data) if not data.startswith(tuple(b for b, _ in _BOMS)) else ""
    if binary:
        raise InputError(name, f"looks like a binary file ({binary}), expected a web page")
    text = decode_html(data, name)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, fmt


def article_format(path: str | Path) -> str:
    """``"txt"``, ``"md"`` or ``"html"`` from the file's suffix (no suffix and ``-`` are text)."""
    name = str(path)
    if name == "-":
        return "txt"
    suffix = Path(name).suffix.lower()
    try:
        return ARTICLE_SUFFIXES[suffix]
    except KeyError:
        raise InputError(
            name,
            f"unsupported file type {suffix!r}: expected .txt, .md, .html (article) or .yaml, .json (story)",
        ) from None


def is_story_file(path: str | Path) -> bool:
    """True for story files (``.yaml``, ``.yml``, ``.json``), whatever their case."""
    return Path(str(path)).suffix.lower() in STORY_SUFFIXES


def write_atomic(
    path: str | Path,
    data: str | bytes,
    *,
    inputs: tuple[str | Path | None, ...] = (),
    sweep: bool = True,
    sync_folder: bool = True,
) -> Path:
    """Write ``data`` (str as UTF-8) to ``path`` atomically and return its absolute path.

    Missing parent directories are created.  Any failure raises ``OutputError`` and leaves
    neither a partial target nor a temporary file behind; an existing target is untouched.
    What must never be replaced is refused with ``InputError`` before anything is written:
    one of ``inputs`` (compared by real path and by inode), a directory, a device, a FIFO or
    a socket.  ``os.devnull`` is accepted and discards the data.  The temporary file is
    ``.NAME.storymap-PID.RANDOM.tmp`` beside the target; ones left by a killed run are
    removed by the next write to the same target.

    A writer of many files into one folder (a batch) passes ``sweep=False`` (listing a folder of
    thousands of files on every write costs more than the write) after one ``remove_stale_temps``
    of the folder, and ``sync_folder=False`` with one ``sync_folder`` of it after its writes (the
    file's data is made durable before its rename either way, so no crash leaves a partial file).
    """
    target = Path(path)
    name = str(path)
    if "\x00" in name:
        raise InputError(name, "not a valid file name (it contains a NUL character)")
    too_long = max((len(os.fsencode(part)) for part in target.parts), default=0)
    if too_long > _NAME_MAX:
        raise InputError(name, f"file name too long: {too_long} bytes, the limit is {_NAME_MAX}")
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # replace what the link points to, keep the link
    target = target.absolute()
    if _is_devnull(target):
        return target
    _refuse_unsafe_target(target, name, inputs)
    if isinstance(data, str):
        try:
            payload = data.encode("utf-8")
        except UnicodeEncodeError as e:
            raise OutputError(
                name, f"cannot encode as UTF-8: character {e.object[e.start]!r} at {e.start}"
            ) from None
    else:
        payload = bytes(data)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        blocker = _file_in_the_way(parent)
        if blocker:
            raise OutputError(name, f"cannot create directory {parent}: {blocker} is a file") from None
        raise OutputError(name, f"cannot create directory {parent}: {_reason(e)}") from None
    if not parent.is_dir():
        raise OutputError(name, f"cannot write into {parent}: not a directory")

    prefix = _temp_prefix(target)
    if sweep:
        _remove_stale_temps(parent, prefix)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}.", suffix=TEMP_SUFFIX, dir=parent)
    except OSError as e:
        raise OutputError(name, f"cannot create a file in {parent}: {_reason(e)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
        tmp = ""
    except OSError as e:
        raise OutputError(name, f"cannot write: {_reason(e)}") from None
    finally:
        if tmp:  # any failure, including KeyboardInterrupt: leave nothing behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    if sync_folder:
        _fsync_dir(parent)
    return target


def remove_stale_temps(folder: str | Path) -> None:
    """Remove the temporary files that runs which no longer exist left in ``folder`` (the sweep
    ``write_atomic`` does for its own target, for every file of the folder at once)."""
    _remove_stale_temps(Path(folder), ".", anywhere=True)


def sync_folder(folder: str | Path) -> None:
    """Make the renames done in ``folder`` durable (after writes with ``sync_folder=False``)."""
    _fsync_dir(Path(folder))


def write_stdout(data: str | bytes) -> None:
    """Write ``data`` (str as UTF-8) to standard output: what ``-o -`` means."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    stream = getattr(sys.stdout, "buffer", None)
    try:
        if stream is not None:
            stream.write(payload)
            stream.flush()
        else:
            sys.stdout.write(payload.decode("utf-8"))
            sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader went away (`| head`): not our error
    except OSError as e:
        raise OutputError("<stdout>", f"cannot write: {_reason(e)}") from None


def is_stdout(path: str | Path | None) -> bool:
    """Whether an output argument means standard output (``-``)."""
    return path is not None and str(path) == "-"


def _refuse_unsafe_target(target: Path, name: str, inputs: tuple[str | Path | None, ...]) -> None:
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        return  # a parent is a file: mkdir reports it
    except OSError as e:
        raise OutputError(name, f"cannot write: {_reason(e)}") from None
    if st is not None:
        kind = _special_kind(st.st_mode)
        if kind == "a directory":
            raise InputError(name, "is a directory, expected a file path")
        if kind:
            raise InputError(
                name, f"is {kind}; storymap writes only regular files (use -o - for standard output)"
            )
    real = os.path.realpath(target)
    for source in inputs:
        if source is None or str(source) == "-":
            continue
        same = os.path.realpath(source) == real
        if not same and st is not None:
            with contextlib.suppress(OSError):
                same = os.path.samefile(source, target)
        if same:
            raise InputError(name, f"is the input file {source}; give another output with -o")


def _special_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return ""


def _is_devnull(target: Path) -> bool:
    with contextlib.suppress(OSError):
        return os.path.samefile(target, os.devnull)
    return False


def _temp_prefix(target: Path) -> str:
    return f".{target.name[:64]}{TEMP_MARK}"


def _remove_stale_temps(parent: Path, prefix: str, anywhere: bool = False) -> None:
    """Remove temporary files of this target left by runs that no longer exist (kill -9, power cut);
    ``anywhere``: of any target (``prefix`` is then ``"."``)."""
    try:
        names = [n for n in os.listdir(parent) if n.startswith(prefix) and n.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for leftover in names:
        rest = leftover.rpartition(TEMP_MARK)[2] if anywhere else leftover[len(prefix) :]
        if anywhere and TEMP_MARK not in leftover:
            continue
        pid = rest.split(".", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(parent / leftover)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier write of this process failed without cleaning up: not in progress
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


# --------------------------------------------------------------------------- reading


def _read_file(path: Path, name: str) -> bytes:
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError(name, "is a directory, expected a file")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(name, f"is {_special_kind(st.st_mode) or 'not a regular file'}, expected a file")
        if st.st_size > MAX_INPUT_BYTES:
            raise InputError(name, f"file is too large: {st.st_size} bytes, the limit is {MAX_INPUT_BYTES}")
        # O_NONBLOCK: should the path have become a FIFO since the check, opening it does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError(name, "is not a regular file, expected a file")
            return _read_stream(fh, name)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except NotADirectoryError:
        raise InputError(name, "no such file (a parent in the path is not a directory)") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, expected a file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as e:
        raise InputError(name, f"cannot read: {_reason(e)}") from None
    except ValueError:  # e.g. a NUL character in the name
        raise InputError(name, "not a valid file name") from None


def _read_stdin() -> bytes:
    """Standard input, refused when it is a terminal or stays silent for ``STDIN_TIMEOUT`` seconds."""
    name = "<stdin>"
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError(name, "there is no standard input to read; name an article file instead of -")
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # an in-memory stream (tests, notebooks): it cannot block
        return _read_stream(stream, name)
    if os.isatty(fd):
        raise InputError(
            name, "standard input is a terminal; pipe an article in (storymap build - < article.txt)"
        )
    try:
        import select

        select.select([fd], [], [], 0)
    except (ImportError, OSError, ValueError):  # no select() for this kind of handle (Windows pipes)
        return _read_stream(stream, name)
    chunks: list[bytes] = []
    size = 0
    while True:
        ready, _, _ = select.select([fd], [], [], STDIN_TIMEOUT)
        if not ready:
            got = f" after {size:,} bytes" if size else ""
            raise InputError(
                name,
                f"nothing arrived on standard input in {STDIN_TIMEOUT:g} s{got}; "
                "pipe an article in (storymap build - < article.txt) or name a file",
            )
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_INPUT_BYTES:
            raise InputError(name, f"input is too large: more than {MAX_INPUT_BYTES} bytes")


def _read_stream(stream, name: str) -> bytes:  # noqa: ANN001 - any binary file object
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(name, f"input is too large: more than {MAX_INPUT_BYTES} bytes")
    return data


def _decode(data: bytes, name: str) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                label = codec.replace("-sig", "").upper()
                raise InputError(
                    name, f"not {label} text: {_bad_bytes(e)} despite its {label} byte-order mark"
                ) from None
            if "\x00" in text:
                raise InputError(name, "looks like a binary file: it contains NUL characters")
            return text
    binary = _binary_kind(data)
    if binary:
        raise InputError(name, f"looks like a binary file ({binary}), expected text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            name, f"not UTF-8 text: {_bad_bytes(e)} (line {line}); save it as UTF-8 (or UTF-16 with a BOM)"
        ) from None


def _bad_bytes(e: UnicodeDecodeError) -> str:
    return f"invalid byte 0x{e.object[e.start]:02x} at offset {e.start}"


def _binary_kind(data: bytes) -> str:
    """A short description if ``data`` is clearly not text, else ``""``."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if b"\x00" in data:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) == 0:
            return "NUL bytes; UTF-16 without a byte-order mark? save it as UTF-8"
        return "it contains NUL bytes"
    head = data[:8192]
    if head and len(head.translate(None, _CONTROL)) < len(head) * 0.9:
        return "many control characters"
    return ""


# --------------------------------------------------------------------------- writing


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable; not every platform or filesystem allows it, which is fine."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _file_in_the_way(directory: Path) -> Path | None:
    """The first component of ``directory`` that exists but is not a directory, if any."""
    for p in reversed((directory, *directory.parents)):
        if p.exists() and not p.is_dir():
            return p
    return None


def _reason(e: OSError) -> str:
    if isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.EROFS:
        return "read-only file system"
    if e.errno == errno.ENOSPC:
        return "no space left on device"
    if e.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a parent in the path is a file, not a directory"
    return (e.strerror or str(e)).lower()
