"""Digital Post (e-Boks / NgDP): MeMo 1.2 messages sent through SF1601, and their receipts."""
