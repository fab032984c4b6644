"""Files written and copied without following symbolic links: backups, restores, exports and the staging folder.

A backup handed to ``restore`` may hold links to files outside it (``/etc/shadow``) or a link loop; an export's
temporary file (``F.partial`` beside ``-o F``) may have been planted as a link to another file. Here:

- :func:`copy_tree` copies a folder through directory file descriptors, opening every entry with ``O_NOFOLLOW``,
  and refuses any link, device or other special file it meets (before or while copying: no window between a
  check and a copy);
- :func:`create_new` removes whatever is at a path (a link is removed, never followed) and creates a new file
  there with ``O_CREAT|O_EXCL|O_NOFOLLOW``;
- :func:`own_directory` makes sure a folder is a real directory, not a link to somewhere else.

Errors are :class:`UnsafePath` (a link or special file: refused) or ``OSError`` (a full disk, no permission).
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import BinaryIO

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_BLOCK = 1 << 20


class UnsafePath(OSError):
    """A path that is a symbolic link or a special file where a plain file or folder was expected."""


def _kind(mode: int) -> str:
    return "a symbolic link" if stat.S_ISLNK(mode) else "a special file (device, socket or pipe)"


def copy_tree(source: Path, target: Path) -> int:
    """Copy the folder ``source`` to the new folder ``target`` (which must not exist), refusing links and special
    files anywhere inside ``source``. Returns the number of bytes copied. Raises UnsafePath or OSError; a failed
    copy may leave part of ``target`` for the caller to remove."""
    source_fd = os.open(source, _DIR_FLAGS)
    try:
        os.mkdir(target, 0o700)
        target_fd = os.open(target, _DIR_FLAGS)
        try:
            return _copy_dir(source_fd, target_fd, Path(source))
        finally:
            os.close(target_fd)
    finally:
        os.close(source_fd)


def _copy_dir(source_fd: int, target_fd: int, where: Path) -> int:
    copied = 0
    for entry in sorted(os.listdir(source_fd)):
        mode = os.stat(entry, dir_fd=source_fd, follow_symlinks=False).st_mode
        if stat.S_ISDIR(mode):
            child = os.open(entry, _DIR_FLAGS, dir_fd=source_fd)
            try:
                os.mkdir(entry, 0o700, dir_fd=target_fd)
                inner = os.open(entry, _DIR_FLAGS, dir_fd=target_fd)
                try:
                    copied += _copy_dir(child, inner, where / entry)
                finally:
                    os.close(inner)
            finally:
                os.close(child)
        elif stat.S_ISREG(mode):
            copied += _copy_file(source_fd, target_fd, entry)
        else:
            raise UnsafePath(f"{where / entry} is {_kind(mode)}; refused")
    return copied


def _copy_file(source_fd: int, target_fd: int, name: str) -> int:
    try:
        reading = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=source_fd)
    except OSError as exc:  # swapped for a link after it was listed
        raise UnsafePath(f"{name} could not be opened without following a link: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(reading).st_mode):
            raise UnsafePath(f"{name} is not a plain file; refused")
        writing = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                          dir_fd=target_fd)
        copied = 0
        try:
            while block := os.read(reading, _BLOCK):
                view = memoryview(block)
                while view:
                    written = os.write(writing, view)
                    view, copied = view[written:], copied + written
            os.fsync(writing)
        finally:
            os.close(writing)
        return copied
    finally:
        os.close(reading)


def create_new(path: Path) -> BinaryIO:
    """A new, empty file at ``path`` opened for writing; whatever was there (a file, a link) is removed first,
    never followed. Raises IsADirectoryError for a folder, FileExistsError if something appears meanwhile."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            raise IsADirectoryError(f"{path} is a folder")
        os.unlink(path)
    except FileNotFoundError:
        pass
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    return os.fdopen(handle, "wb")


def own_directory(path: Path) -> Path:
    """``path`` as a real directory (created if missing). Raises UnsafePath if it is a link or not a folder."""
    try:
        os.mkdir(path, 0o755)
    except FileExistsError:
        pass
    mode = os.lstat(path).st_mode
    if not stat.S_ISDIR(mode):
        raise UnsafePath(f"{path} is {_kind(mode) if not stat.S_ISREG(mode) else 'a file'}, not a folder; refused")
    return path


def remove(path: Path) -> None:
    """Remove a file, link or folder tree at ``path`` if there is one; a link is removed, never followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)  # does not follow links inside the tree
    else:
        os.unlink(path)


__all__ = ["UnsafePath", "copy_tree", "create_new", "own_directory", "remove"]
