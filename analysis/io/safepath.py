"""Safe names for files and folders derived from user-supplied file names.

A clip's name comes from the user (an upload's name, a command-line path) and may hold
path separators, ``..``, shell characters, control characters, reserved device names or
hundreds of bytes of Unicode. Nothing derived from it may ever point outside the folder
we chose: :func:`safe_stem` keeps only a harmless stem, :func:`safe_output_dir` joins it
under a base folder and checks the result stays inside.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

#: Longest stem kept (characters, and at most this many UTF-8 bytes x 3); file systems allow 255 bytes.
MAX_STEM_CHARS = 64
MAX_STEM_BYTES = 150
FALLBACK_STEM = "clip"
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_ALLOWED_PUNCT = "-_."


def safe_stem(name: str | os.PathLike | None) -> str:
    """A harmless file-name stem for ``name``: its last path component without the
    extension, Unicode-normalised (NFKC), letters/digits/``-_.`` only (anything else
    becomes ``_``), no leading dots, at most :data:`MAX_STEM_CHARS` characters; never
    empty, ``.``, ``..`` or a reserved device name.

    >>> safe_stem("../../etc/passwd")
    'passwd'
    >>> safe_stem("my clip; rm -rf ~.mp4")
    'my_clip_rm_-rf'
    """
    s = os.fspath(name) if name is not None else ""
    if isinstance(s, bytes):
        s = s.decode("utf-8", "replace")
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\\", "/").rstrip("/").split("/")[-1]  # last component, either separator
    if s.rfind(".") > 0:  # drop the extension (a leading dot is not one)
        s = s[: s.rfind(".")]
    out = "".join(ch if (ch.isalnum() or ch in _ALLOWED_PUNCT) and ch.isprintable() else "_" for ch in s)
    out = re.sub(r"_+", "_", out)
    out = re.sub(r"\.{2,}", ".", out)
    out = out.strip("._ -")
    out = out[:MAX_STEM_CHARS]
    while len(out.encode("utf-8")) > MAX_STEM_BYTES:
        out = out[:-1]
    out = out.strip("._ -")
    if not out or out.split(".")[0].lower() in _WINDOWS_RESERVED:
        out = f"{FALLBACK_STEM}_{out}" if out else FALLBACK_STEM
    return out


def safe_output_dir(base: str | os.PathLike, name: str | os.PathLike | None) -> Path:
    """``base / safe_stem(name)``, checked to resolve inside ``base`` (symlinks followed).

    Raises:
        ValueError: the folder would lie outside ``base`` (e.g. a symlink planted there).
    """
    base_p = Path(base)
    out = base_p / safe_stem(name)
    root = base_p.resolve()
    real = out.resolve()
    if real != root and root not in real.parents:
        raise ValueError(f"output folder {out} resolves outside {root}; choose another output folder")
    return out
