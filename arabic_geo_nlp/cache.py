"""Pickled copies of tables that every process builds from package data at load time.

Building the linking KB (with its alias index) and the gazetteer from their TSVs costs about a
second of CPU in each process (each worker with ``n_process > 1``); unpickling them, a fraction
of that. :func:`cached` keeps a table's pickle in :func:`cache_dir`, under a key made of the
package's code and data (:func:`package_version`: any change to a ``.py`` file or a data file
gives new keys) and of the files the build reads, so a stale copy is never read. A missing,
unreadable or damaged copy is rebuilt; a cache that cannot be written is skipped.

``AGN_CACHE_DIR`` sets the directory (default ``$XDG_CACHE_HOME/arabic_geo_nlp``, else
``~/.cache/arabic_geo_nlp``); ``AGN_CACHE_DIR=""`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional, TypeVar, Union

__all__ = ["cached", "cache_dir", "package_version", "CACHE_ENV"]

CACHE_ENV = "AGN_CACHE_DIR"
T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Optional[Path]:
    """Where the pickles go, or None when ``AGN_CACHE_DIR`` is set to an empty string."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return Path(value) if value else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "arabic_geo_nlp"


@lru_cache(maxsize=1)
def package_version() -> str:
    """A digest of the package's Python sources and data files, not its models (and of the Python
    version, which the pickles depend on), computed once per process."""
    digest = hashlib.sha1(sys.version.encode())
    files = (p for p in _PACKAGE.rglob("*") if p.is_file() and p.suffix != ".pyc")
    for path in sorted(p for p in files if p.relative_to(_PACKAGE).parts[0] != "models"):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached(name: str, build: Callable[[], T], files: Iterable[Union[str, Path]] = ()) -> T:
    """``build()``, or the pickle of an earlier ``build()`` under the same package version and the
    same ``files`` (their paths and contents: the files the build reads beyond the package data).
    ``name`` names the table; its older pickles are removed when a new one is written."""
    directory = cache_dir()
    if directory is None:
        return build()
    digest = hashlib.sha1(package_version().encode())
    for f in files:
        digest.update(str(f).encode())
        digest.update(Path(f).read_bytes())
    path = directory / f"{name}-{digest.hexdigest()[:24]}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, or written by another version of a library it pickles: rebuild
        pass
    value = build()
    _store(path, name, value)
    return value


def _store(path: Path, name: str, value: object) -> None:
    """Write ``value`` to ``path`` atomically and remove older copies of ``name``."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only or missing place: no cache, and nothing half-written left
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
