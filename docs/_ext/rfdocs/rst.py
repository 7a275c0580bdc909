"""Small helpers for writing reStructuredText from data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

_INLINE = re.compile(r"([\\*`|_\[\]])")
_LIST_START = re.compile(r"^(\s*)([-+*•]|\d+[.)]|#\.|\(\d+\)|\([a-z]+\))(\s)")


def esc(text: object) -> str:
    """Text safe to put inline in reST: markup characters escaped, whitespace folded."""
    if text is None:
        return ""
    folded = " ".join(str(text).split())
    escaped = _INLINE.sub(r"\\\1", folded)
    return _LIST_START.sub(lambda m: m.group(1) + "\\" + m.group(2) + m.group(3), escaped)


def heading(text: str, char: str = "=", over: bool = False) -> str:
    line = char * max(len(text), 3)
    return f"{line}\n{text}\n{line}\n" if over else f"{text}\n{line}\n"


def literal(text: object) -> str:
    """Inline literal; backquotes inside are replaced (reST cannot escape them in literals)."""
    value = str(text).replace("`", "'")
    return f"``{value}``" if value.strip() else ""


def indent(text: str, by: int = 3) -> str:
    pad = " " * by
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def list_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, widths: Sequence[int] | None = None,
               title: str = "", cls: str = "") -> str:
    """A ``list-table``; cells are reST already (escape them first)."""
    out = [f".. list-table:: {title}".rstrip(), "   :header-rows: 1"]
    if widths:
        out.append("   :widths: " + " ".join(str(w) for w in widths))
    if cls:
        out.append(f"   :class: {cls}")
    out.append("")
    for row in [list(headers), *map(list, rows)]:
        for index, cell in enumerate(row):
            lines = str(cell).splitlines() or [""]
            bullet = "   * - " if index == 0 else "     - "
            out.append(bullet + lines[0])
            out.extend("       " + line if line.strip() else "" for line in lines[1:])
    return "\n".join(out) + "\n"


def literal_block(text: str, language: str = "text") -> str:
    return f".. code-block:: {language}\n\n{indent(text.rstrip())}\n"


class Pages:
    """Writes generated pages, touching a file only when its content changed (so Sphinx rebuilds only those)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[Path] = []

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not text.endswith("\n"):
            text += "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        self.written.append(path)
        return path

    def prune(self, under: str) -> None:
        """Remove stale generated files under ``under`` that this run did not write."""
        folder = self.root / under
        if not folder.is_dir():
            return
        keep = set(self.written)
        for path in folder.rglob("*"):
            if path.is_file() and path not in keep:
                path.unlink()
