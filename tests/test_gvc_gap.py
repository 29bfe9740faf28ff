"""Stage assessments (loader tables, file stage_assessments) and the gvc-gap module, by hand."""
from __future__ import annotations

import pytest

from loader.tables.load import TablesError, load_tables
from queries.runner import run_module
from tests.test_gvc_graph import clear

SOURCE = "gap-test"
FIRMS = """key,name,country,region,industry,size_class,employees,output,foreign_share,founded
G1,Gap Electronics,KOR,KR-11,ISIC4|C26,large,900,50000,0,1990
G2,Gap Parts,KOR,KR-26,ISIC4|C26,sme,50,2000,0,2005
"""
STAGES = """firm,stage,year,value_added
G1,rnd,2020,400
G1,assembly,2020,100
G2,parts,2020,60
G2,assembly,2020,40
"""
ASSESSMENTS = """subject,subject_kind,stage,year,current,target,assessed_by
KOR,country,rnd,2020,3,5,ICT value-chain survey
KOR,country,design,2020,2,4,ICT value-chain survey
KOR,country,assembly,2020,5,3,ICT value-chain survey
KOR,country,rnd,2020,4,5,Expert panel
G2,firm,parts,2020,2,5,ICT value-chain survey
"""


def write(folder, **files):
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in files.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def loaded(driver, schema_applied, tmp_path_factory):
    clear(driver)
    folder = write(tmp_path_factory.mktemp("gap") / "tables", firms=FIRMS, gvc_stages=STAGES,
                   stage_assessments=ASSESSMENTS)
    summary = load_tables(folder, source=SOURCE, synthetic=True, progress=False)
    return folder, summary


def test_assessments_are_written_and_a_reload_writes_nothing(driver, loaded):
    folder, summary = loaded
    assert summary.created["STAGE_ASSESSMENT (Country->Stage)"] == 4
    assert summary.created["STAGE_ASSESSMENT (Firm->Stage)"] == 1
    again = load_tables(folder, source=SOURCE, synthetic=True, progress=False)
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0


def test_gap_per_stage_ranked_beside_the_smile_curve(loaded):
    df = run_module("gvc-gap", {"subject": "KOR", "subject_kind": "country", "year": 2020})
    rows = [(r["stage"], r["assessed_by"], r["current"], r["target"], r["gap"], r["rank"])
            for r in df.to_dict("records")]
    # gaps 2 (design), 2 (rnd, survey), 1 (rnd, panel), -2 (assembly); ties by chain order, then assessor
    assert rows == [("rnd", "ICT value-chain survey", 3, 5, 2, 1), ("design", "ICT value-chain survey", 2, 4, 2, 2),
                    ("rnd", "Expert panel", 4, 5, 1, 3), ("assembly", "ICT value-chain survey", 5, 3, -2, 4)]
    va = {r["stage"]: (r["value_added"], r["va_share"], r["firms"]) for r in df.to_dict("records")}
    # Korean firms: rnd 400, assembly 100 + 40, parts 60 (not assessed), design none; total 600
    assert va["rnd"] == (400.0, pytest.approx(400 / 600), 1)
    assert va["assembly"] == (140.0, pytest.approx(140 / 600), 2)
    assert va["design"] == (0.0, 0.0, 0)
    # the same value added as gvc-stages for the same selection
    stages = run_module("gvc-stages", {"country": "KOR", "year": 2020})
    by_stage = dict(zip(stages["stage"], stages["value_added"]))
    assert by_stage["rnd"] == va["rnd"][0] and by_stage["assembly"] == va["assembly"][0]
    one = run_module("gvc-gap", {"subject": "KOR", "year": 2020, "assessed_by": "Expert panel"})
    assert list(one["gap"]) == [1]
    firm = run_module("gvc-gap", {"subject": "G2", "subject_kind": "firm", "year": 2020})
    r = firm.to_dict("records")[0]
    assert (r["stage"], r["gap"], r["value_added"], r["va_share"]) == ("parts", 3, 60.0, pytest.approx(0.6))
    assert df.attrs["provenance"]["years"] == [2020]


@pytest.mark.parametrize("line,message", [
    ("KOR,country,rnd,2020,6,5,Survey", "stage_assessments.csv:2: column 'current': got '6'"),
    ("KOR,country,rnd,2020,3,0,Survey", "stage_assessments.csv:2: column 'target': got '0'"),
    ("KOR,country,smiling,2020,3,4,Survey", "stage_assessments.csv:2: column 'stage': got 'smiling'"),
    ("XXK,country,rnd,2020,3,4,Survey", "stage_assessments.csv:2: column 'subject': got 'XXK'"),
    ("NOFIRM,firm,rnd,2020,3,4,Survey", "stage_assessments.csv:2: column 'subject': got 'NOFIRM'"),
    ("KOR,region,rnd,2020,3,4,Survey", "stage_assessments.csv:2: column 'subject_kind': got 'region'"),
])
def test_bad_assessments_are_refused_with_file_line_and_column(driver, loaded, tmp_path, line, message):
    before = driver.execute_query("MATCH ()-[r:STAGE_ASSESSMENT]->() RETURN count(r) AS n").records[0]["n"]
    folder = write(tmp_path / "bad", stage_assessments="subject,subject_kind,stage,year,current,target,assessed_by\n"
                   + line + "\n")
    with pytest.raises(TablesError) as err:
        load_tables(folder, source=SOURCE, progress=False)
    assert message in str(err.value)
    after = driver.execute_query("MATCH ()-[r:STAGE_ASSESSMENT]->() RETURN count(r) AS n").records[0]["n"]
    assert after == before
