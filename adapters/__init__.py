"""The hub's own, always-present adapters: persistence, blobs, HTTP API, CLI, settings, plugins."""
