# Doctests are collected from the package; running `python -m arabic_geo_nlp` is not a test.
collect_ignore = ["arabic_geo_nlp/__main__.py"]
