"""The document intake interface's parsing layer (flow 1, "OIO Dokument IND").

A delivery (an XML envelope, or JSON metadata with files) becomes a
:class:`core.intake.IncomingDocument` whose files are staged in the blob store:

- :mod:`.xml_envelope` parses the ``urn:sagshub:intake:1`` envelope (``schema/intake-1.xsd``),
  hardened and streaming: :mod:`.xml_prolog` refuses any DOCTYPE before parsing,
  :mod:`.xml_target` enforces the limits and streams inline content to the blob store;
- :mod:`.metadata` is the JSON metadata model of ``POST /api/documents``; the XML path
  produces the same model, so there is one translation (:mod:`.translate`);
- :mod:`.delivery` binds each part of a delivery to its staged bytes (inline, or a
  ``cid:``/form-field reference), checking the sender's sha256 and the declared type;
- :mod:`.staging` streams bytes into the blob store and discards everything of a failed
  delivery; :mod:`.sniff` checks a declared mime type against a file's leading bytes.
"""
