"""Language data and models, one package per language (`lang.ar`)."""
