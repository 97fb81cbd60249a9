"""arabic_geo_nlp — offline NLP for Arabic geopolitical news.

>>> import arabic_geo_nlp as agn
>>> nlp = agn.load()                       # a spaCy Language, offline
>>> doc = nlp("قالت الوزيرة: “لا تراجع”.")
>>> res = agn.process("seeds/")            # doctest: +SKIP
>>> res.quotes.head()                      # doctest: +SKIP
"""

from . import extensions as _extensions

_extensions.register()

from .frames import Result  # noqa: E402
from .pipeline import iter_docs, load, process  # noqa: E402
from .render import render  # noqa: E402

__version__ = "0.1.0"
__all__ = ["load", "process", "iter_docs", "render", "Result", "__version__"]
