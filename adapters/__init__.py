"""The hub's own, always-present adapters: persistence, blobs, jobs, HTTP API, CLI, OIO XML."""
