"""Remote print (fjernprint through SF1601) and local print (a PDF the caseworker prints)."""
