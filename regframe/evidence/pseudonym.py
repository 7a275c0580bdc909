"""Child identifiers become keyed pseudonyms at the moment they are read.

``pseudonym = "C-" + first 16 hex of HMAC-SHA256(key, LA code + ":" + child id)``.
The same child, from the same LA, gets the same pseudonym in every file read
with the same key, so a child in an SSDA903 extract can be joined to the same
child in an LA return without either raw id ever being stored. Without a key
the pseudonyms are still unlinkable outside the run, but also across runs: a
random per-run key is used and the caller is told so.

The key comes from ``REGFRAME_PSEUDONYM_KEY`` or from a key file
(``--pseudonym-key-file``); keep it secret and stable per analysis.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import attrs

from regframe.evidence.identity import canonical_child_id, canonical_la_code

ENV_VAR = "REGFRAME_PSEUDONYM_KEY"
PREFIX = "C-"
_HEX_DIGITS = 16
MIN_KEY_CHARACTERS = 16
#: the LA code child ids are pseudonymised under when their file does not say and none is given (``--la``);
#: reading such files beside files that name their LA is an error (RF341)
UNKNOWN_LA = "UNKNOWN"


class PseudonymKeyError(ValueError):
    """The key given cannot be used: a key file that cannot be read, or a key too short to be secret.

    The command line reports it as a usage error (exit 2), naming where the key came from
    but never the key itself.
    """


@attrs.frozen(repr=False)
class PseudonymKey:
    """A secret key for pseudonymisation. Its ``repr`` never shows the secret."""

    secret: bytes
    origin: str  # "environment", "file", "random" or "given"

    def __repr__(self) -> str:
        return f"PseudonymKey(origin={self.origin!r})"

    @property
    def is_random(self) -> bool:
        return self.origin == "random"

    @classmethod
    def from_text(cls, text: str, origin: str = "given") -> PseudonymKey:
        text = text.strip()
        if len(text) < MIN_KEY_CHARACTERS:
            raise PseudonymKeyError(f"a pseudonym key must be at least {MIN_KEY_CHARACTERS} characters")
        return cls(text.encode("utf-8"), origin)

    @classmethod
    def random(cls) -> PseudonymKey:
        return cls(secrets.token_bytes(32), "random")

    @classmethod
    def resolve(cls, key_file: str | Path | None = None) -> PseudonymKey:
        """The key to use: a key file if given, else the environment variable, else a random one."""
        if key_file is not None:
            try:
                text = Path(key_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                raise PseudonymKeyError(f"pseudonym key file {key_file} cannot be read: {reason}") from None
            try:
                return cls.from_text(text, "file")
            except PseudonymKeyError as error:
                raise PseudonymKeyError(f"pseudonym key file {key_file}: {error}") from None
        value = os.environ.get(ENV_VAR)
        if value:
            try:
                return cls.from_text(value, "environment")
            except PseudonymKeyError as error:
                raise PseudonymKeyError(f"{ENV_VAR}: {error}") from None
        return cls.random()


def pseudonymise(key: PseudonymKey, la_code: str, child_id: str) -> str:
    """The pseudonym of one child of one LA, from the canonical forms of both (:mod:`regframe.evidence.identity`).

    Every reader calls this with the id as it found it, so ``ab1`` and `` AB1 `` are one child
    whichever file or reader they came through.
    """
    message = f"{canonical_la_code(la_code)}:{canonical_child_id(child_id)}".encode()
    digest = hmac.new(key.secret, message, hashlib.sha256).hexdigest()
    return PREFIX + digest[:_HEX_DIGITS]


def is_pseudonym(value: str) -> bool:
    body = value[len(PREFIX):]
    return value.startswith(PREFIX) and len(body) == _HEX_DIGITS and all(c in "0123456789abcdef" for c in body)


RANDOM_KEY_NOTE = (
    f"no pseudonym key was given ({ENV_VAR} or --pseudonym-key-file): a random key was used for this run, "
    "so pseudonyms will not match those of another run"
)
