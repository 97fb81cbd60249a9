"""Trained model artifacts shipped with arabic_geo_nlp (installed as ``arabic_geo_nlp.models``)."""
