"""A small, valid table folder (every file kind) that tests copy and then break one way at a time."""
from __future__ import annotations

from pathlib import Path

VALID = {
    "countries": """key,name,iso2,continent,un_region
RoW,Rest of the world,,,
""",
    "regions": """key,name,kind,country,parent
JP-13,Tokyo,subdivision,JPN,
TEST-CLUSTER,Test cluster,grouping,,
""",
    "industries": """classification,code,name
DEMO,X1,Demo industry one
""",
    "firms": """key,name,country,region,industry,size_class,employees,output,foreign_share,founded
F1,Alpha Electronics,KOR,KR-11,ISIC4|C26,tnc,12000,950000.5,0.1,1969
F2,Beta Parts,KOR,KR-26,ISIC4|C29,sme,40,2100,0,2001
F3,Gamma Works,JPN,JP-13,DEMO|X1,large,800,56000,0.25,1950
F4,Delta Assembly,VNM,,ISIC4|C26,sme,120,3300.25,0.6,2012
""",
    "persons": """key,name,nationality
P1,Kim Min-jun,KOR
P2,Sato Haruto,JPN
""",
    "employment": """person,firm,role,since
P1,F1,founder,1969
P1,F1,executive,1980
P2,F3,expatriate_manager,2015
""",
    "ownership": """owner,owner_kind,firm,share
F1,firm,F4,0.6
P1,person,F1,0.2
""",
    "investments": """investor,target,target_kind,year,amount,motive,mode
F1,VNM,country,2019,12.5,efficiency,greenfield
F1,F4,firm,2019,3.25,efficiency,joint_venture
""",
    "fdi_statistics": """origin,destination,destination_kind,year,measure,amount,reported_by,motive
JPN,KR-41,region,2020,flow,140,Korea MOTIE inward FDI by region,
JPN,KOR,country,2020,flow,-12.5,OECD FDI statistics (BMD4 directional),
""",
    "firm_supply": """supplier,buyer,year,value,product
F2,F1,2020,100,parts
F4,F1,2020,300,chips
F2,F3,2020,50,parts
F1,F3,2020,200,modules
F2,F1,2021,70,parts
""",
    "trade_flows": """exporter,importer,year,industry,value,weight,use
KOR,VNM,2020,ISIC4|C26,5000,12.5,intermediate
VNM,USA,2020,ISIC4|C26,8000,20,final
KOR,RoW,2020,ISIC4|J62,300,0,final
""",
    "gvc_stages": """firm,stage,year,value_added
F1,rnd,2020,500
F1,assembly,2020,300
F4,assembly,2020,120
""",
    "stage_assessments": """subject,subject_kind,stage,year,current,target,assessed_by
KOR,country,rnd,2020,3,5,Test capability survey
F1,firm,assembly,2020,4,2,Test capability survey
""",
    "country_indicators": """country,year,indicator,value,unit,source
KOR,2020,gdp,1644000,million USD,Test statistics office
VNM,2020,wage,250.5,USD,Test statistics office
""",
}


def write_folder(folder: Path, overrides: dict[str, str | bytes | None] | None = None) -> Path:
    """Write VALID with some files replaced (text or raw bytes) or left out (None)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = dict(VALID, **(overrides or {}))
    for stem, content in files.items():
        if content is None:
            continue
        name = stem if "." in stem else f"{stem}.csv"
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def replace_line(stem: str, line: int, new: str) -> str:
    """VALID[stem] with its 1-based line `line` replaced."""
    lines = VALID[stem].splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


def add_line(stem: str, new: str) -> str:
    return VALID[stem] + new + "\n"
