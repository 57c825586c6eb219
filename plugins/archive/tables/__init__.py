"""The relational tables of an extract: their definitions, rows and streamed writing."""
