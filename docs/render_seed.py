"""Regenerate ``docs/render_seed.png``: the first seed article rendered by ``agn.render``,
entities on the right, quotes on the left, as headless Chromium shows them.

    python docs/render_seed.py          # needs Chromium: apt-get install chromium
"""

from pathlib import Path

import arabic_geo_nlp as agn
from arabic_geo_nlp.render import render, to_png

HERE = Path(__file__).resolve().parent
SEED = sorted((HERE.parent / "seeds").glob("*.txt"))[0]
PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>arabic_geo_nlp render</title></head>
<body style="margin: 0; padding: 1rem 1.5rem 1rem 7rem; background: #fff; display: flex; gap: 8rem">
<section style="flex: 1">{ents}</section><section style="flex: 1">{quotes}</section>
</body></html>
"""


def main() -> None:
    res = agn.process([SEED], nlp=agn.load())
    row = res.documents.iloc[0]
    page = PAGE.format(ents=render(row, "ents", tables=res), quotes=render(row, "quotes", tables=res))
    print(to_png(page, HERE / "render_seed.png", width=1600, height=1000))


if __name__ == "__main__":
    main()
