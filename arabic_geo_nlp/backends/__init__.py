"""Optional backends: CAMeL Tools and Stanza in the slots of our own components.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load(ner="stanza")                      # doctest: +SKIP
>>> nlp = agn.load(tokenizer="camel", ner="camel")    # doctest: +SKIP

Nothing here imports camel_tools, stanza or torch when the package is imported: the
registered factories do, when a pipeline asks for them, and raise an ImportError naming
the extra to install (``pip install "arabic-geo-nlp[camel]"`` / ``[stanza]``) otherwise.
"""

from .extras import require

from . import camel, stanza  # noqa: E402,F401  (register factories)

__all__ = ["require"]
