"""The DOCX as zip bytes: a python-docx document's parts, serialised as its `save` does, and
written once into a reproducible zip (fixed dates and attributes, [Content_Types].xml first,
then the package's relationships, then the parts by name).

The zip is the one `zipfile` writes with these settings, byte for byte (`zipfile_bytes` is
that writer, kept for what this one does not handle); it is written here so that a part
deflated before in this process is not deflated again: the template's fonts and most of its
parts are the same bytes in every document.

Part of the DOCX renderer.
"""

from __future__ import annotations

import struct
import sys
import threading
import zlib
from collections import OrderedDict
from typing import Any

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip date: fixed, so bytes do not depend on when
FILE_MODE = 0o644 << 16  # external attributes: rw-r--r--, from a Unix system
CONTENT_TYPES, PACKAGE_RELS = "[Content_Types].xml", "_rels/.rels"


def document_parts(document: Any) -> dict[str, bytes]:
    """The parts of a python-docx document by zip member name, as its `save` writes them
    (python-docx's PackageWriter): the content types, the package's relationships, then each
    part's bytes and, where it has relationships, theirs."""
    from docx.opc.pkgwriter import _ContentTypesItem

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    out = {CONTENT_TYPES: _ContentTypesItem.from_parts(parts).blob,
           PACKAGE_RELS: package.rels.xml}
    for part in parts:
        out[part.partname.membername] = part.blob
        if len(part.rels):
            out[part.partname.rels_uri.membername] = part.rels.xml
    return out


def ordered(names: Any) -> list[str]:
    """The zip's order: the content types, the package's relationships, the rest by name."""
    return sorted(names, key=lambda n: (n != CONTENT_TYPES, n != PACKAGE_RELS, n))


# The zip format (APPNOTE.TXT): a local header before each entry's data, a central directory
# of the entries, and its end record. Version 2.0 (deflate), no extra field,
# no comment, no data descriptor (flag 0x800: the name is UTF-8).
LOCAL = struct.Struct("<4s2B4HL2L2H")
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
END = struct.Struct("<4s4H2LH")
VERSION, DEFLATED, UTF8_NAME = 20, 8, 0x800
SYSTEM = 0 if sys.platform == "win32" else 3  # as zipfile says where the zip was made
DOS_TIME = ZIP_EPOCH[3] << 11 | ZIP_EPOCH[4] << 5 | ZIP_EPOCH[5] // 2
DOS_DATE = (ZIP_EPOCH[0] - 1980) << 9 | ZIP_EPOCH[1] << 5 | ZIP_EPOCH[2]
ZIP64_LIMIT = (1 << 31) - 1  # zipfile switches to zip64 records beyond this
MAX_ENTRIES = 0xFFFF


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    """The parts as a reproducible zip, each deflated (once per process for the same bytes)."""
    if len(parts) >= MAX_ENTRIES or sum(map(len, parts.values())) * 1.05 > ZIP64_LIMIT:
        return zipfile_bytes(parts)  # zip64 records: zipfile knows them
    out, central = bytearray(), bytearray()
    for name in ordered(parts):
        data = parts[name]
        packed, crc = deflated(data)
        encoded, flags = _encoded(name)
        fields = (flags, DEFLATED, DOS_TIME, DOS_DATE, crc, len(packed), len(data), len(encoded))
        central += CENTRAL.pack(b"PK\001\002", VERSION, SYSTEM, VERSION, 0, *fields, 0, 0, 0, 0,
                                FILE_MODE, len(out)) + encoded
        out += LOCAL.pack(b"PK\003\004", VERSION, 0, *fields, 0) + encoded + packed
    end = END.pack(b"PK\005\006", 0, 0, len(parts), len(parts), len(central), len(out), 0)
    return bytes(out + central + end)


def _encoded(name: str) -> tuple[bytes, int]:
    """The entry's name as the zip holds it, and its flags (as zipfile encodes it)."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_NAME


class Kept:
    """A small cache that threads may share: the `size` values last used, the least recently
    used given up first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.values: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """The value kept for `key`, or None."""
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        """`value` kept for `key`, as the last used."""
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)


CACHE_MAX_PART = 4 << 20  # bytes: a bigger part is deflated each time, not kept
_DEFLATED = Kept(64)  # (deflated bytes, CRC-32) by the digest of the part's bytes


def deflated(data: bytes) -> tuple[bytes, int]:
    """The data deflated as zipfile deflates it (raw, the default level), and its CRC-32;
    from the cache when the same bytes were deflated before in this process."""
    import hashlib

    key = hashlib.blake2b(data, digest_size=32).digest() if len(data) <= CACHE_MAX_PART else b""
    found = _DEFLATED.get(key)
    if found is not None:
        return found
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    result = compressor.compress(data) + compressor.flush(), zlib.crc32(data)
    if key:
        _DEFLATED.put(key, result)
    return result


def zipfile_bytes(parts: dict[str, bytes]) -> bytes:
    """The parts as a reproducible zip, written by zipfile (the reference for `zip_bytes`)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered(parts):
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = FILE_MODE
            target.writestr(info, parts[name])
    return out.getvalue()
