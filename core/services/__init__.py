"""The use cases: what callers (HTTP, CLI, plugins, migration) ask the hub to do."""
