"""An example of a vendor's sagshub plugin, packaged and installed on its own.

It imports only what a vendor may: ``ports`` (the hook markers, the port
protocols, :class:`ports.secrets.EnvSecret`) and ``core`` (the domain models).
"""
