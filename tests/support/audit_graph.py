"""The analysis audit graph: small input tables whose every module answer can be worked out with pandas.

Loaded only through the product's loaders: two ``loader tables`` folders (``REAL``, source
``audit:firms``, and ``SYNTHETIC``, source ``audit:synthetic`` marked synthetic) and three tiny
two-country, two-sector input-output tables through ``loader.mrio.load.load_mrio`` (``AUDIT-IO``
2015 and 2016, real; ``AUDIT-IO-SYN`` 2018, synthetic). The tests compute their expectations
from the same tables (``frames``, ``io_table``) with pandas, numpy and networkx only.

What the data is built to catch:
- firm-level FDI projects (investments) and country-level FDI statistics (fdi_statistics) that
  describe the same money: adding them, or the two publishers' figures, double counts;
- a domestic multinational parent (D1, size class tnc) that is not a foreign affiliate, and
  foreign affiliates of every kind: by foreign share (A1, HKR, X1, the SME S4), by an ownership
  chain only (A2: JPN parent controls HKR, which holds 30% of A2; U1: a JPN national holds 50%),
  and a firm two influence links away that is NOT one (N1); S5 holds 5% foreign equity (portfolio);
- Korean firms in subdivisions of two economic regions (CAPITAL: KR-11, KR-41; SOUTHEAST:
  KR-26, KR-48), a Korean firm without a region (K0), a Tokyo firm (JP-13, no economic region)
  and a US firm without a region;
- an earlier real year (2019) and a later synthetic year (2021) that defaults must not mix in;
- a pair of firms trading two products (S1 -> A1), summed into one link of the network.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

REAL_SOURCE = "audit:firms"
SYNTHETIC_SOURCE = "audit:synthetic"
IO_SOURCE = "AUDIT-IO"
IO_SYNTHETIC_SOURCE = "AUDIT-IO-SYN"
IO_CLASSIFICATION = "AUDITIO"
YEAR = 2020          # the latest year of real firm data
IO_YEAR = 2016       # the latest year of the real table

REAL = {
    "regions": """key,name,kind,country,parent
JP-13,Tokyo,subdivision,JPN,
""",
    "firms": """key,name,country,region,industry,size_class,employees,output,foreign_share,founded
PJP,Nippon Parent,JPN,JP-13,ISIC4|C26,tnc,5000,900000,0,1950
A1,Seoul Assembly,KOR,KR-11,ISIC4|C26,large,800,200000,0.6,2005
HKR,Han Holding,KOR,KR-11,ISIC4|K64,large,300,50000,0.8,2001
A2,Busan Metals,KOR,KR-26,ISIC4|C24,large,400,90000,0,1998
X1,Gyeonggi Parts,KOR,KR-41,ISIC4|C26,large,260,40000,0.3,2003
N1,Suwon Tools,KOR,KR-41,ISIC4|C28,large,300,30000,0,1990
D1,Korea Electronics,KOR,KR-41,ISIC4|C26,tnc,6000,700000,0,1970
S1,Seoul Brackets,KOR,KR-11,ISIC4|C25,sme,40,5000,0,2010
S2,Gyeonggi Circuits,KOR,KR-41,ISIC4|C26,sme,80,8000,0,2012
S3,Busan Castings,KOR,KR-26,ISIC4|C24,sme,60,6000,0,2008
S4,Seoul Sensors,KOR,KR-11,ISIC4|C26,sme,30,4000,0.15,2015
S5,Changwon Gears,KOR,KR-48,ISIC4|C28,sme,50,7000,0.05,2011
U1,Ohio Chips,USA,,ISIC4|C26,large,900,300000,0,1980
K0,Daejeon Unknown,KOR,,ISIC4|C26,large,100,10000,0,2000
""",
    "persons": """key,name,nationality
P1,Kim Audit,KOR
P2,Smith Audit,USA
P3,Sato Audit,JPN
""",
    "employment": """person,firm,role,since
P1,S1,founder,2010
P3,PJP,executive,2000
""",
    "ownership": """owner,owner_kind,firm,share
PJP,firm,A1,0.6
PJP,firm,HKR,0.8
HKR,firm,A2,0.3
PJP,firm,X1,0.3
X1,firm,N1,0.3
P1,person,S1,1.0
P2,person,S5,0.05
P3,person,U1,0.5
""",
    "investments": """investor,target,target_kind,year,amount,motive,mode
PJP,A1,firm,2020,50,efficiency,acquisition
PJP,KR-11,region,2020,20,market,greenfield
PJP,KOR,country,2020,10,market,greenfield
PJP,X1,firm,2019,5,strategic_asset,joint_venture
U1,KR-26,region,2020,7,resource,greenfield
D1,U1,firm,2020,30,market,acquisition
""",
    # the same money seen by statistics offices: never to be added to the projects
    "fdi_statistics": """origin,destination,destination_kind,year,measure,amount,reported_by,motive
JPN,KOR,country,2020,flow,85,Audit statistics office,
JPN,KOR,country,2020,flow,90,Second publisher,
JPN,KOR,country,2020,position,900,Audit statistics office,
JPN,KR-11,region,2020,flow,70,Audit statistics office,
USA,KR-26,region,2020,flow,7,Audit statistics office,resource
KOR,USA,country,2020,flow,30,Audit statistics office,
KOR,USA,country,2019,flow,28,Audit statistics office,
""",
    "firm_supply": """supplier,buyer,year,value,product
S1,A1,2020,100,C25
S1,A1,2020,20,C25-fasteners
S2,A1,2020,50,C26
S4,A1,2020,30,C26
S3,A1,2020,40,C24
U1,A1,2020,60,C26
PJP,A1,2020,80,C26
A1,S2,2020,25,C26
S3,A2,2020,70,C24
S5,A2,2020,10,C28
D1,A2,2020,15,C26
A2,D1,2020,35,C24
S1,D1,2020,45,C25
S2,X1,2020,8,C26
X1,N1,2020,12,C26
N1,D1,2020,18,C28
A1,U1,2020,22,C26
K0,A1,2020,5,C26
S1,A1,2019,999,C25
S3,A2,2019,500,C24
""",
    "stage_assessments": """subject,subject_kind,stage,year,current,target,assessed_by
KOR,country,rnd,2020,3,5,audit survey
KOR,country,assembly,2020,4,2,audit survey
""",
    "gvc_stages": """firm,stage,year,value_added
A1,assembly,2020,300
A1,marketing,2020,100
A2,assembly,2020,120
S1,parts,2020,50
S2,parts,2020,40
S3,parts,2020,30
D1,rnd,2020,400
D1,design,2020,150
D1,marketing,2020,250
PJP,rnd,2020,600
S1,parts,2019,999
""",
    "trade_flows": """exporter,importer,year,industry,value,weight,use
KOR,JPN,2020,ISIC4|C26,5000,100,intermediate
KOR,JPN,2020,ISIC4|C26,1000,10,final
KOR,USA,2020,ISIC4|C26,3000,30,final
JPN,KOR,2020,ISIC4|C24,2000,2000,intermediate
USA,KOR,2020,ISIC4|J62,400,0,final
KOR,JPN,2019,ISIC4|C26,777,7,intermediate
""",
}

# A later year of made-up data: the defaults must not pick it while real data exists.
SYNTHETIC = {
    "firms": """key,name,country,region,industry,size_class,employees,output,foreign_share,founded
SY1,Synthetic One,KOR,KR-11,ISIC4|C26,sme,10,1000,0,2015
SY2,Synthetic Two,KOR,KR-26,ISIC4|C26,large,500,90000,0.9,2015
""",
    "firm_supply": """supplier,buyer,year,value,product
SY1,SY2,2021,500,C26
SY1,A1,2021,300,C26
""",
    "investments": """investor,target,target_kind,year,amount,motive,mode
SY2,A1,firm,2021,999,market,greenfield
""",
    "fdi_statistics": """origin,destination,destination_kind,year,measure,amount,reported_by,motive
JPN,KOR,country,2021,flow,12345,Synthetic office,
""",
    "trade_flows": """exporter,importer,year,industry,value,weight,use
KOR,JPN,2021,ISIC4|C26,99999,1,final
""",
    "gvc_stages": """firm,stage,year,value_added
SY1,rnd,2021,5000
""",
    "stage_assessments": """subject,subject_kind,stage,year,current,target,assessed_by
KOR,country,rnd,2021,1,5,synthetic survey
""",
}

# Two countries x two sectors; rows supply columns. Y: final demand of each country.
IO_KEYS = ["KOR|ELEC", "KOR|METAL", "JPN|ELEC", "JPN|METAL"]
IO_TABLES = {
    # source, year, synthetic, Z, Y
    "2015": (IO_SOURCE, 2015, False,
             [[8, 4, 6, 1], [18, 3, 2, 5], [5, 1, 10, 3], [2, 6, 8, 4]],
             [[50, 12], [9, 4], [18, 35], [3, 25]]),
    "2016": (IO_SOURCE, 2016, False,
             [[10, 9, 8, 2], [20, 6, 3, 6], [6, 4, 12, 4], [3, 8, 9, 5]],
             [[60, 15], [10, 5], [20, 40], [4, 30]]),
    "2018": (IO_SYNTHETIC_SOURCE, 2018, True,
             [[20, 10, 16, 4], [40, 8, 6, 12], [12, 2, 24, 8], [6, 14, 18, 30]],
             [[120, 30], [20, 10], [40, 80], [8, 60]]),
}

# Independent facts the expectations use: which economic region each subdivision belongs to
# (Korea's regional grouping) and the OECD members among the audit's countries.
ECONOMIC_REGION = {"KR-11": "KR-ECON-CAPITAL", "KR-41": "KR-ECON-CAPITAL", "KR-26": "KR-ECON-SOUTHEAST",
                   "KR-48": "KR-ECON-SOUTHEAST"}
REGION_COUNTRY = {"KR-11": "KOR", "KR-41": "KOR", "KR-26": "KOR", "KR-48": "KOR", "JP-13": "JPN",
                  "KR-ECON-CAPITAL": "KOR", "KR-ECON-SOUTHEAST": "KOR"}
OECD = {"KOR", "JPN", "USA"}


# An inter-regional table (real, 2016): KOR split into Seoul (KR-11) and Busan (KR-26), beside JPN; modules
# regional-va and regional-tiva read it (loader.mrio.regional). Its sectors are KR-11|ELEC ...; no SUPPLIES
# join them to the national table's KOR sectors.
IRIO_SOURCE = "AUDIT-IRIO"
IRIO_KEYS = ["KR-11|ELEC", "KR-11|METAL", "KR-26|ELEC", "KR-26|METAL", "JPN|ELEC", "JPN|METAL"]
IRIO_FD = ["KR-11", "KR-26", "JPN"]
IRIO_Z = [[4, 3, 2, 1, 3, 1], [6, 2, 4, 1, 2, 3], [2, 1, 3, 2, 2, 1], [3, 2, 5, 1, 1, 2],
          [3, 2, 2, 1, 12, 4], [1, 3, 1, 2, 9, 5]]
IRIO_Y = [[20, 5, 8], [4, 2, 3], [6, 15, 9], [2, 3, 4], [3, 2, 35], [1, 2, 25]]


def frames(which: dict[str, str] = REAL) -> dict[str, pd.DataFrame]:
    """The input tables as pandas reads them (empty cells stay empty strings in text columns)."""
    out = {}
    for stem, text in which.items():
        out[stem] = pd.read_csv(io.StringIO(text), keep_default_na=False)
    return out


def io_table(name: str) -> tuple[str, int, bool, np.ndarray, np.ndarray]:
    source, year, synthetic, Z, Y = IO_TABLES[name]
    return source, year, synthetic, np.array(Z, dtype=float), np.array(Y, dtype=float)


def write_folder(files: dict[str, str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in files.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return folder


def load(folder: Path) -> None:
    """Write the audit graph into the (wiped) test database through the product's loaders."""
    from loader.mrio.load import load_mrio
    from loader.mrio.read import MrioTable
    from loader.tables.load import load_tables

    load_tables(write_folder(REAL, folder / "real"), source=REAL_SOURCE, progress=False,
                description="analysis audit: hand-made firm tables")
    load_tables(write_folder(SYNTHETIC, folder / "synthetic"), source=SYNTHETIC_SOURCE, synthetic=True,
                progress=False, description="analysis audit: a later synthetic year")
    index = pd.MultiIndex.from_tuples([tuple(k.split("|")) for k in IO_KEYS], names=["region", "sector"])
    fd = pd.MultiIndex.from_tuples([("KOR", "final demand"), ("JPN", "final demand")], names=["region", "category"])
    for name in IO_TABLES:
        source, year, synthetic, Z, Y = io_table(name)
        z = pd.DataFrame(Z, index=index, columns=index)
        y = pd.DataFrame(Y, index=index, columns=fd)
        table = MrioTable(Z=z, Y=y, x=z.sum(axis=1) + y.sum(axis=1), year=year, classification=IO_CLASSIFICATION,
                          source=source, name=f"audit table {name}", synthetic=synthetic)
        load_mrio(table, year, source, IO_CLASSIFICATION, progress=False)
    index = pd.MultiIndex.from_tuples([tuple(k.split("|")) for k in IRIO_KEYS], names=["region", "sector"])
    fd = pd.MultiIndex.from_tuples([(u, "final demand") for u in IRIO_FD], names=["region", "category"])
    z = pd.DataFrame(np.array(IRIO_Z, dtype=float), index=index, columns=index)
    y = pd.DataFrame(np.array(IRIO_Y, dtype=float), index=index, columns=fd)
    table = MrioTable(Z=z, Y=y, x=z.sum(axis=1) + y.sum(axis=1), year=IO_YEAR, classification=IO_CLASSIFICATION,
                      source=IRIO_SOURCE, name="audit inter-regional table", synthetic=False, inter_regional=True,
                      region_countries={"KR-11": "KOR", "KR-26": "KOR"})
    load_mrio(table, IO_YEAR, IRIO_SOURCE, IO_CLASSIFICATION, progress=False)
