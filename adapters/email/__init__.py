"""E-mail in: an ``.eml`` or Outlook ``.msg`` file turned into a document for the core."""
