"""The validator on real data: Rigsarkivet's published sample AVID.SA.18001.1.

The sample is partial as published (see its SOURCES.md): only table1 of three is
there, and there is no archiveIndex, docIndex or context documentation. What is
there must pass; what is missing must be reported, and nothing else.
"""

from __future__ import annotations

from plugins.archive.validation.run import validate
from ports.integrations import ArchiveProfile


def test_the_published_sample_is_judged_on_what_it_holds(standards_dir):
    sample = standards_dir / "archive-samples" / "AVID.SA.18001.1"
    findings = validate(sample, standards_dir, profile=ArchiveProfile.BEK1007)
    checks = {f.check for f in findings}
    assert checks == {
        "schemas.standard",
        "index.schema",
        "table.structure",
        "table.foreign_key",
        "fileindex.files",
    }
    messages = [f.message for f in findings]
    # the sample ships the older docIndex 0.8.2
    assert [m for m in messages if m.startswith("Schemas/standard/")] == [
        m for m in messages if "docIndex.xsd differs" in m
    ]
    assert "Indices/archiveIndex.xml is missing" in messages
    assert any("table AMT_kode: Tables/table2/table2.xml is missing" in m for m in messages)
    # its one real table validates, has the rows tableIndex gives, and unique keys
    assert not {"table.schema", "table.rows", "table.primary_key"} & checks
    # foreign keys point into the two tables the sample leaves out
    assert all(
        "is not in AMT_kode" in m or "is not in ART_kode" in m or "resolve nowhere" in m
        for f in findings
        if f.check == "table.foreign_key"
        for m in [f.message]
    )
    # the sample spans three media; only the first is here
    assert any("on medium AVID.SA.18001.2, which is not beside this folder" in m for m in messages)
    # the fileIndex entries it has are correct: no MD5 finding for the files present
    assert "fileindex.md5" not in checks
