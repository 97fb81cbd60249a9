"""Importing an optional dependency with an error that says which extra provides it."""

from __future__ import annotations

import importlib
from types import ModuleType

TORCH_NOTE = "install the CPU build of torch first (pip install torch==2.13.0 here; see the README)"


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise an ImportError naming ``extra``.

    >>> require("json", "none", "a test").__name__
    'json'
    >>> require("no_such_module_xyz", "stanza", "ner='stanza'")
    Traceback (most recent call last):
    ...
    ImportError: ner='stanza' needs the optional dependency 'no_such_module_xyz': pip install "arabic-geo-nlp[stanza]" (install the CPU build of torch first (pip install torch==2.13.0 here; see the README))
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ImportError(
            f"{purpose} needs the optional dependency {module!r}: pip install \"arabic-geo-nlp[{extra}]\" "
            f"({TORCH_NOTE})") from err
