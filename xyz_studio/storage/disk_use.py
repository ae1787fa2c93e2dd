"""How many bytes the experiments take on disk, cheap enough for a listing read every few seconds.

Every file in an experiment folder is written to a temporary name and renamed into place
(folder.write_atomically), so a change to a folder's files changes the folder's own
mtime. Each folder's total is kept with that mtime and read again only when it moved;
a folder that changes (a running experiment's cells/) keeps its files' sizes by inode
too, so reading it again lists the names but asks the size of the new files only.
A total is trusted only once its folder has been still for a moment (racy-git's rule:
mtimes are coarse, two changes in one tick look like one). Links are neither followed
nor counted: nothing outside the folder is measured.
"""
from __future__ import annotations

import os
import stat
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from .folder import is_valid_id
from .store import DB_NAME

SETTLE_SECONDS = 2.0  # a folder changed more recently than this is read again next time
DETAILED_FOLDERS = 64  # folders whose files' sizes are kept (the recently changed ones)


@dataclass
class _Folder:
    identity: tuple[int, int]  # (inode, mtime_ns) when read
    own_bytes: int             # its files, not its subfolders
    subfolders: tuple[str, ...]
    settled: bool              # read long enough after its last change to be trusted
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (inode, size)


_folders: dict[str, _Folder] = {}
_detailed: OrderedDict[str, None] = OrderedDict()  # folders whose `sizes` are kept, oldest first
_lock = threading.Lock()


def folder_bytes(path: Path) -> int:
    """Bytes of the regular files under `path`, subfolders included (0 if it is missing)."""
    total, pending = 0, [Path(path)]
    while pending:
        folder = _read(pending.pop())
        if folder is not None:
            total += folder.own_bytes
            pending.extend(Path(sub) for sub in folder.subfolders)
    return total


def studio_bytes(root: Path) -> int:
    """Bytes of the experiments under `root`: their folders and the store's database files
    (which grow in place, so they are measured every time; there are only a few). Other
    folders there (an offline W&B run's) are not the pack's to count."""
    total = 0
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False) and is_valid_id(entry.name):
                total += folder_bytes(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and entry.name.startswith(DB_NAME):
                total += entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue  # gone meanwhile
    return total


def forget(path: Path) -> None:
    """Drop what is known of `path` and its subfolders (after it was deleted)."""
    prefix = str(Path(path))
    with _lock:
        for key in [k for k in _folders if k == prefix or k.startswith(prefix + os.sep)]:
            del _folders[key]
            _detailed.pop(key, None)


def _read(path: Path) -> _Folder | None:
    key = str(path)
    try:
        st = os.lstat(path)
    except OSError:
        st = None
    if st is None or not stat.S_ISDIR(st.st_mode):
        forget(path)
        return None
    identity = (st.st_ino, st.st_mtime_ns)
    with _lock:
        known = _folders.get(key)
    if known is not None and known.identity == identity and known.settled:
        return known
    previous = known.sizes if known is not None and known.identity[0] == st.st_ino else {}
    read_at = time.time()
    sizes: dict[str, tuple[int, int]] = {}
    subfolders: list[str] = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        subfolders.append(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        inode = entry.inode()
                        kept = previous.get(entry.name)
                        size = kept[1] if kept and kept[0] == inode else entry.stat(follow_symlinks=False).st_size
                        sizes[entry.name] = (inode, size)
                except OSError:
                    continue  # removed while listed
    except OSError:
        forget(path)
        return None
    folder = _Folder(identity=identity, own_bytes=sum(size for _, size in sizes.values()),
                     subfolders=tuple(subfolders), settled=read_at - st.st_mtime_ns / 1e9 > SETTLE_SECONDS,
                     sizes=sizes)
    with _lock:
        _folders[key] = folder
        _detailed[key] = None
        _detailed.move_to_end(key)
        while len(_detailed) > DETAILED_FOLDERS:
            oldest, _ = _detailed.popitem(last=False)
            if oldest in _folders:
                _folders[oldest].sizes = {}  # its total stays; a change reads its sizes again
    return folder
