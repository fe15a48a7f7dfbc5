"""Writing files so that a crash or a full disk never leaves half a file under the final name.

Every file aeo-check writes (answers files, reports, the batch portfolio) goes through
:func:`atomic_write_bytes`: the data goes to a temporary file in the same folder, is flushed and
fsynced, gets the usual permissions (those of the file it replaces, or 0o666 less the umask),
and is renamed over the final name with ``os.replace``; the folder is fsynced too on POSIX.
With ``backup=True`` the previous version is kept as ``<name>.bak`` (answers files).

Standard library only, and portable: nothing here is POSIX-only except the folder fsync, which
is skipped elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_write_bytes", "atomic_write_text", "file_mode"]


def atomic_write_text(path: str | Path, text: str, *, backup: bool = False) -> None:
    """Write text (UTF-8) to path atomically: temp file in the same folder, fsync, rename.

    With ``backup``, the previous version (if any) is kept as ``<name>.bak``.
    """
    atomic_write_bytes(path, text.encode("utf-8"), backup=backup)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode(existing: Path | None = None) -> int:
    """The mode a new file gets (0o666 less the umask), or the mode of the file it replaces."""
    if existing is not None:
        with contextlib.suppress(OSError):
            return existing.stat().st_mode & 0o7777
    return 0o666 & ~_umask()


def atomic_write_bytes(path: str | Path, data: bytes, *, backup: bool = False) -> None:
    """Write bytes to path atomically (see the module docstring); :class:`OutputError` when the
    folder cannot be written, and no temporary file is left behind."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # mkstemp makes 0600; keep the usual permissions
            os.chmod(tmp, file_mode(path if path.exists() else None))
        if backup and path.exists():
            bak = path.with_name(path.name + ".bak")
            # a backup that cannot be written must not stop the save
            with contextlib.suppress(OSError):
                _copy_atomic(path, bak)
        os.replace(tmp, path)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _copy_atomic(src: Path, dst: Path) -> None:
    data = src.read_bytes()
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, dst)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
