"""Migration sources: folder export, CSV and JSON-lines manifests, ``DocumentSource`` plugins."""
