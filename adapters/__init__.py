"""The hub's own, always-present infrastructure: persistence, blobs and the interfaces
every deployment has (as opposed to ``plugins/``, which a municipality enables)."""
