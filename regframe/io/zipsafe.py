"""Opening the zip containers under xlsx and ODS files so that no zipfile or zlib error escapes.

A spreadsheet is a zip of XML parts, and a damaged or hostile zip makes the
standard library raise a dozen unrelated exceptions, some only when a part is
read to its end (``zlib.error`` for corrupt deflate data, ``BadZipFile`` for a
bad CRC-32, ``EOFError`` for a truncated member, ``RuntimeError`` for an
encrypted one, ``NotImplementedError`` for an unknown compression method).
Everything here turns them into one exception, :class:`ZipDamage`, which names
the part, so each reader has one thing to catch and a message to report.

Two things are checked before :class:`zipfile.ZipFile` is trusted with a file:
the entry count the end-of-central-directory record declares (``ZipFile``
builds an object per entry, so a directory of millions of entries costs
memory before any limit could look at it), and, per part, the compression
method (spreadsheets use only stored or deflated parts). A part's declared
uncompressed size is a hard bound on what reading it yields: ``zipfile`` stops
there and reports a CRC mismatch if the data goes on, so limits checked on the
directory hold while streaming.
"""

from __future__ import annotations

import lzma
import struct
import zipfile
import zlib
from pathlib import Path
from types import TracebackType
from typing import IO

#: what zipfile and its decompressors raise for damaged input, at open and while a part is read
ZIP_ERRORS = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError, NotImplementedError,
    ValueError, struct.error, OverflowError, KeyError, IndexError,
)
#: the compression methods spreadsheet writers use
SPREADSHEET_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_EOCD_SEARCH = 22 + 65_535  # the record and the longest comment it may carry


class ZipDamage(Exception):
    """A zip file or one of its parts cannot be read; ``part`` names the part when there is one."""

    def __init__(self, message: str, part: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.part = part


def describe(error: BaseException) -> str:
    """A short account of a zipfile or zlib error for a message: its type and text."""
    text = str(error).strip()
    kind = type(error).__name__
    return f"{kind}: {text}" if text else kind


def declared_entries(path: Path) -> int | None:
    """How many entries the zip's end-of-central-directory record declares; ``None`` if it has none.

    Read from the last 64 KiB of the file (with the Zip64 record when the count does not fit in 16
    bits), without building the directory.
    """
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            start = max(0, size - _EOCD_SEARCH)
            handle.seek(start)
            tail = handle.read()
            at = tail.rfind(_EOCD)
            if at < 0 or len(tail) - at < 22:
                return None
            total = struct.unpack("<H", tail[at + 10:at + 12])[0]
            if total != 0xFFFF or at < 20 or tail[at - 20:at - 16] != _ZIP64_LOCATOR:
                return total
            offset = struct.unpack("<Q", tail[at - 12:at - 4])[0]
            handle.seek(offset)
            record = handle.read(56)
            if len(record) < 56 or record[:4] != _ZIP64_EOCD:
                return total
            return int(struct.unpack("<Q", record[32:40])[0])
    except (OSError, struct.error, ValueError, OverflowError):
        return None


def open_archive(path: Path, max_entries: int) -> zipfile.ZipFile:
    """Open ``path`` as a zip, refusing one that declares more than ``max_entries`` entries.

    Raises :class:`ZipDamage` for a file that is not a zip, is damaged, or declares too many entries
    (the message says which).
    """
    entries = declared_entries(path)
    if entries is not None and entries > max_entries:
        raise ZipDamage(f"the zip declares {entries:,} entries; the limit is {max_entries:,}")
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as error:
        raise ZipDamage(f"not a readable zip file ({describe(error)})") from None
    if len(archive.infolist()) > max_entries:  # a directory that says one thing in its record and holds another
        archive.close()
        raise ZipDamage(f"the zip holds {len(archive.infolist()):,} entries; the limit is {max_entries:,}")
    return archive


class PartStream:
    """A binary stream over one part of a zip: every read error comes out as :class:`ZipDamage`.

    ``position`` counts the uncompressed bytes read so far, which a streaming reader uses to bound
    how much XML it holds at once.
    """

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.name = info.filename
        self.position = 0
        if info.compress_type not in SPREADSHEET_METHODS:
            raise ZipDamage(f"part {info.filename} uses zip compression method {info.compress_type}, which "
                            "spreadsheet programs never write", info.filename)
        if info.flag_bits & 0x1:
            raise ZipDamage(f"part {info.filename} is encrypted", info.filename)
        try:
            self._raw: IO[bytes] = archive.open(info)
        except ZIP_ERRORS as error:
            raise ZipDamage(f"part {info.filename} cannot be read ({describe(error)})", info.filename) from None

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._raw.read(size)
        except ZIP_ERRORS as error:
            raise ZipDamage(f"part {self.name} is damaged ({describe(error)})", self.name) from None
        self.position += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        """Go back to the start (the only seek a reader needs: after checking an XML part's prolog)."""
        try:
            self.position = self._raw.seek(offset, whence)
        except ZIP_ERRORS as error:
            raise ZipDamage(f"part {self.name} is damaged ({describe(error)})", self.name) from None
        return self.position

    def drain(self) -> None:
        """Read the rest of the part, so that its CRC-32 is checked (``zipfile`` checks it at the end)."""
        while self.read(1 << 20):
            pass

    def close(self) -> None:
        try:
            self._raw.close()
        except ZIP_ERRORS:
            pass

    def __enter__(self) -> PartStream:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def read_part(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    """The whole of a (small) part, at most ``max_bytes`` of it uncompressed; :class:`ZipDamage` otherwise."""
    info = part_info(archive, name)
    if info.file_size > max_bytes:
        raise ZipDamage(f"part {name} inflates to {info.file_size:,} bytes; the limit for it is {max_bytes:,}", name)
    with PartStream(archive, info) as stream:
        return stream.read()


def part_info(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """The directory entry of part ``name``; :class:`ZipDamage` if the zip has none."""
    try:
        return archive.getinfo(name)
    except KeyError:
        raise ZipDamage(f"the file has no part {name}", name) from None
