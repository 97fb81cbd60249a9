"""CAMeL Tools backend: ``tokenizer="camel"`` and ``ner="camel"`` (being written)."""
