"""The build manifest, build/<period>/.reportgen.json: for each output, the digest of the
sources it was rendered from and the digest of the bytes as written.

Sources unchanged -> the output is not rendered again. Bytes changed on disk -> somebody edited
the file (in Word, say): reportgen will not overwrite it without --force, and then keeps a copy.
Imports only the standard library and errors, so a rebuild with nothing changed stays fast.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

NAME = ".reportgen.json"


def digest_bytes(data: bytes) -> str:
    """sha256 of some bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def digest_file(path: Path) -> str | None:
    """sha256 of a file, or None when it does not exist."""
    try:
        return digest_bytes(path.read_bytes())
    except FileNotFoundError:
        return None


def digest_tree(folder: Path, suffix: str = "") -> str:
    """One digest over every file (name and content) under folder, in a stable order;
    with `suffix`, only the files whose names end with it."""
    total = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(f for f in files if f.endswith(suffix)):
            path = Path(root, name)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # removed while we looked (an editor's temporary file, say)
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
        """Read the folder's manifest; a missing or unreadable one knows no outputs."""
        try:
            raw = json.loads((folder / NAME).read_text(encoding="utf-8"))
            entries = {name: Entry(e["sources"], e["written"], e.get("imported"))
                       for name, e in raw["outputs"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            entries = {}  # no manifest (first build) or an unreadable one: nothing is known
        return cls(folder, entries)

    def up_to_date(self, name: str, sources: str) -> bool:
        """The output exists and was rendered from the same sources. An edited copy counts:
        rendering it again would give what was written before, so the edits are kept."""
        entry = self.entries.get(name)
        return bool(entry and entry.sources == sources and (self.folder / name).exists())

    def edited(self, name: str) -> bool:
        """The file exists but is not what reportgen wrote (changed, or written by someone else)."""
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

    def to_bytes(self) -> bytes:
        """The manifest as JSON, its outputs sorted by name."""
        outputs = {n: {"sources": e.sources, "written": e.written,
                       **({"imported": e.imported} if e.imported else {})}
                   for n, e in sorted(self.entries.items())}
        return (json.dumps({"outputs": outputs}, indent=1) + "\n").encode()
