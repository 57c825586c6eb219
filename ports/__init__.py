"""The interfaces between the core and the world (``typing.Protocol``s) and their DTOs.

Adapters in ``adapters/`` and plugins in ``plugins/`` (or a vendor's package)
implement them; the composition root (``hub.py``) binds one to the other.
"""
