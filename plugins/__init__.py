"""The built-in optional integrations. Each is a pluggy plugin registered through the
``sagshub`` entry-point group, exactly as a vendor's package would be, and is loaded
only when the municipality enables it."""
