"""Archival versions (arkiveringsversioner) for Rigsarkivet and §7 archives.

The plugin writes an ``AVID.<code>.<N>.1`` folder from case snapshots under BEK 128
or BEK 1007, converts documents to multi-page TIFF, and validates the result. See
``docs/archive.md`` for what an archivist receives.
"""
