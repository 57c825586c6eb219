"""OIO XML shaped like SF1470 v6 (Sags- og Dokumentindeks): locked copies of cases and documents.

The builders turn the core's snapshots into lxml trees; :mod:`adapters.oio.schemas`
validates them against the official schemas read from the configured standards folder.
"""
