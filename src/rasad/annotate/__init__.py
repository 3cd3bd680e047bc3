"""Annotators: every finder as a component that declares the layers it needs and the layer it
writes, run in order over a `Doc` before any assembly (see `layers.annotate`)."""
