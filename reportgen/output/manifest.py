"""The build manifest, build/<period>/.reportgen.json: for each output, the digest of the
sources it was rendered from and the digest of the bytes as written.

Sources unchanged -> the output is not rendered again. Bytes changed on disk -> somebody edited
the file (in Word, say): reportgen will not overwrite it without --force, and then keeps a copy.
An output of many files (the site, named with a slash: `nettsted/`) has an entry per file
(`nettsted/index.html`); it is up to date when every one is, and edited when any one is.
Imports only the standard library, errors and project (which reads files safely), so a
rebuild with nothing changed stays fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import ReportgenError
from reportgen.project import read_file

NAME = ".reportgen.json"
MAX_MANIFEST_BYTES = 10_000_000  # one entry is ~150 bytes
NOT_A_FILE = "not an ordinary file"  # the digest of a link, a folder or a pipe: never ours


def digest_bytes(data: bytes) -> str:
    """sha256 of some bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def digest_file(path: Path) -> str | None:
    """sha256 of an output file, or None when nothing is there. A link (never followed) or
    anything but an ordinary file gets NOT_A_FILE: reportgen writes only ordinary files."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return NOT_A_FILE
        return digest_bytes(read_file(path, limit=None))
    except FileNotFoundError:
        return None
    except ReportgenError:  # swapped for something else since
        return NOT_A_FILE


def digest_tree(folder: Path, suffix: str = "") -> str:
    """One digest over every file (name and content) under folder, in a stable order;
    with `suffix`, only the files whose names end with it. Anything but an ordinary file
    (a named pipe, say) counts by what it is, unread."""
    total = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(f for f in files if f.endswith(suffix)):
            path = Path(root, name)
            try:
                data = read_file(path, limit=None)
            except ReportgenError as exc:
                data = b"\0" + exc.message.encode()  # the renderer that opens it says why
            total.update(str(path.relative_to(folder)).encode() + b"\0")
            total.update(data)
    return total.hexdigest()


def digest_sources(*parts: str | bytes | None) -> str:
    """The key of one output: every input that shapes it, in order."""
    total = hashlib.sha256()
    for part in parts:
        data = b"\x01" if part is None else part if isinstance(part, bytes) else part.encode()
        total.update(len(data).to_bytes(8, "big") + data)
    return total.hexdigest()


@dataclass
class Entry:
    """What the manifest knows of one output: its sources' digest and its bytes' digest;
    and, when the file was edited and `reportgen import` brought the edits into the YAML,
    the digest of the edited bytes it imported."""

    sources: str
    written: str
    imported: str | None = None


class Manifest:
    """What reportgen last wrote into one output folder."""

    def __init__(self, folder: Path, entries: dict[str, Entry]) -> None:
        self.folder = folder
        self.entries = entries

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Read the folder's manifest. A missing or damaged one (not a file, not UTF-8 JSON,
        or not of the shape `to_bytes` writes) knows no outputs: every output already there
        then counts as somebody else's."""
        path = folder / NAME
        try:
            raw = json.loads(read_file(path, limit=MAX_MANIFEST_BYTES).decode("utf-8"))
        except (ReportgenError, ValueError, RecursionError):
            return cls(folder, {})  # no manifest (first build) or an unreadable one
        return cls(folder, _entries(raw))

    def files_of(self, name: str) -> list[str]:
        """The files recorded for an output: itself, or those of a folder (`nettsted/`)."""
        if not name.endswith("/"):
            return [name] if name in self.entries else []
        return [n for n in self.entries if n.startswith(name)]

    def up_to_date(self, name: str, sources: str) -> bool:
        """The output exists and was rendered from the same sources. An edited copy counts:
        rendering it again would give what was written before, so the edits are kept."""
        files = self.files_of(name)
        return bool(files) and all(self.entries[n].sources == sources
                                   and (self.folder / n).is_file() for n in files)

    def edited(self, name: str) -> bool:
        """The file exists but is not what reportgen wrote (changed, or written by someone
        else); a folder, when any file recorded for it is."""
        if name.endswith("/"):
            return any(self.edited(n) for n in self.files_of(name))
        on_disk = digest_file(self.folder / name)
        if on_disk is None:
            return False
        entry = self.entries.get(name)
        return entry is None or entry.written != on_disk

    def imported(self, name: str) -> bool:
        """The file was edited, and its edits as they are now were imported into the YAML:
        rendering may replace it (keeping it as a backup)."""
        entry = self.entries.get(name)
        return bool(entry and entry.imported and entry.imported == digest_file(
            self.folder / name))

    def mark_imported(self, name: str, data: bytes) -> bool:
        """Note that the edited file `name`, whose bytes are `data`, was imported; False when
        the file is not an edited output of this folder (nothing to note)."""
        if not self.edited(name) or digest_file(self.folder / name) != digest_bytes(data):
            return False
        entry = self.entries.setdefault(name, Entry("", ""))  # a file reportgen did not write
        entry.imported = digest_bytes(data)
        return True

    def record(self, name: str, sources: str, data: bytes) -> None:
        """Note that `data` was written as `name`, rendered from `sources`."""
        self.entries[name] = Entry(sources, digest_bytes(data))

    def record_folder(self, name: str, sources: str, files: dict[str, bytes]) -> list[str]:
        """Note that `files` ({path in it: bytes}) are now the folder `name`; returns the
        files recorded for it before that are not among them (to be removed)."""
        gone = [n for n in self.files_of(name) if n.removeprefix(name) not in files]
        for old in self.files_of(name):
            del self.entries[old]
        for path, data in files.items():
            self.record(name + path, sources, data)
        return gone

    def to_bytes(self) -> bytes:
        """The manifest as JSON, its outputs sorted by name."""
        outputs = {n: {"sources": e.sources, "written": e.written,
                       **({"imported": e.imported} if e.imported else {})}
                   for n, e in sorted(self.entries.items())}
        return (json.dumps({"outputs": outputs}, indent=1) + "\n").encode()


def _entries(raw: object) -> dict[str, Entry]:
    """The entries of a manifest's JSON; none at all when any part has another shape."""
    outputs = raw.get("outputs") if isinstance(raw, dict) else None
    if not isinstance(outputs, dict):
        return {}
    entries = {}
    for name, entry in outputs.items():
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(key), str) for key in ("sources", "written")):
            return {}
        imported = entry.get("imported")
        entries[name] = Entry(entry["sources"], entry["written"],
                              imported if isinstance(imported, str) else None)
    return entries
