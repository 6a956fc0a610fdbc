"""Checks on an uploaded zip before anything in it is read. Pure: stdlib only.

A zip is hostile until shown otherwise: names may climb out of the extraction folder,
entries may be symlinks, and a few kilobytes may inflate to terabytes. Everything here
looks only at the central directory, so a bad archive costs almost nothing to refuse.
"""
from __future__ import annotations

import posixpath
import stat
import struct
from dataclasses import dataclass, field

from .coco import Issue, unsafe_path_reason

# Below this an entry is too small to hurt whatever its ratio (a JSON of zeros compresses 1000:1).
RATIO_FLOOR_BYTES = 1024 * 1024
JUNK_PREFIXES = ("__MACOSX/",)
JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def is_junk(name):
    base = posixpath.basename(name.rstrip("/"))
    return name.startswith(JUNK_PREFIXES) or base in JUNK_NAMES or base.startswith("._")


def declared_entry_count(fh):
    """The entry count the end-of-central-directory record declares, or None if it cannot
    be found. Read before zipfile parses the directory: a zip claiming millions of entries
    would otherwise cost gigabytes of ZipInfo objects before the limit is checked."""
    try:
        fh.seek(0, 2)
        size = fh.tell()
        tail_len = min(size, 65535 + 22)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        pos = tail.rfind(b"PK\x05\x06")
        if pos < 0 or pos + 22 > len(tail):
            return None
        total = struct.unpack("<H", tail[pos + 10:pos + 12])[0]
        if total != 0xFFFF:
            return total
        # zip64: the locator sits just before the classic record and points at the real one.
        loc = pos - 20
        if loc < 0 or tail[loc:loc + 4] != b"PK\x06\x07":
            return None
        offset = struct.unpack("<Q", tail[loc + 8:loc + 16])[0]
        fh.seek(offset)
        rec = fh.read(56)
        if rec[:4] != b"PK\x06\x06":
            return None
        return struct.unpack("<Q", rec[32:40])[0]
    finally:
        fh.seek(0)


@dataclass
class ZipCheck:
    issues: list = field(default_factory=list)
    too_large: str | None = None
    members: dict = field(default_factory=dict)  # name -> ZipInfo, regular files only, junk left out
    total_bytes: int = 0


def check_members(infos, *, archive="upload.zip", max_files, max_bytes, max_ratio, max_issues=50) -> ZipCheck:
    out = ZipCheck()
    infos = list(infos)
    if len(infos) > max_files:
        out.issues.append(Issue(archive, "", f"has {len(infos)} entries, more than the {max_files} allowed"))
        return out

    def add(name, message):
        if len(out.issues) < max_issues:
            out.issues.append(Issue(f"{archive}:{name}", "", message))

    for info in infos:
        name = info.filename
        is_dir = name.endswith("/")
        reason = unsafe_path_reason(name[:-1] if is_dir else name)
        if reason:
            add(name, f"refused: the entry name {reason}")
            continue
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            add(name, "refused: symbolic links are not allowed in a dataset")
            continue
        if info.flag_bits & 0x1:
            add(name, "refused: encrypted entries are not supported")
            continue
        if is_dir:
            continue
        out.total_bytes += info.file_size
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            add(name, f"refused: compresses {ratio:.0f}:1, more than the {max_ratio}:1 allowed (zip bomb guard)")
            continue
        if is_junk(name):
            continue
        if name in out.members:
            add(name, "appears twice in the archive")
            continue
        out.members[name] = info
    if out.total_bytes > max_bytes:
        out.too_large = (f"{archive} unpacks to {out.total_bytes} bytes, more than the {max_bytes} byte limit "
                         f"for a dataset import")
    return out
