"""README's "Data formats" section names every file and column the loader accepts (docs cannot drift)."""
from pathlib import Path

from loader.tables.spec import SPECS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_file_and_column_is_documented():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Data formats", 1)[1].split("\n## ", 1)[0]
    for spec in SPECS.values():
        part = section.split(f"### `{spec.stem}`", 1)
        assert len(part) == 2, f"README lacks a subsection for {spec.stem}"
        table = part[1].split("\n### ", 1)[0]
        for col in spec.columns:
            assert f"| `{col.name}` | {col.type} |" in table, f"{spec.stem}.{col.name} undocumented"
            for choice in col.choices:
                assert f"`{choice}`" in table, f"{spec.stem}.{col.name}: {choice} undocumented"
