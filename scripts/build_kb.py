#!/usr/bin/env python3
"""Compile the linking KB: the same as ``arabic-geo-nlp build kb`` (see arabic_geo_nlp/link/build.py).

    python scripts/build_kb.py [--data-dir ../shared/data] [--out arabic_geo_nlp/data/kb] [--translit]
"""

import sys

from arabic_geo_nlp.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", "kb", *sys.argv[1:]]))
