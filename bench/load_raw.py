"""The server's transactional write ceiling: bare UNWIND CREATE statements, nothing else.

No file reading, no validation, no reading of the store, no diff: prebuilt list
rows, CREATE only, batches of 10,000 committed on their own by two threads (the
same shape the project loader's batched mode uses). Whatever the project loader
spends beyond this is ours; this part is Neo4j's on this machine. The code is
deliberately independent of loader/ so that it measures the server, not our writer.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from bench.memory import PeakWatch

BATCH = 10_000
WORKERS = 2

FIRMS = "UNWIND $rows AS r CREATE (n:Firm) SET n = r[1], n.key = r[0]"
LOCATED = ("UNWIND $rows AS r MATCH (a:Firm {key: r[0]}) MATCH (b:Country {key: r[1]}) "
           "CREATE (a)-[:LOCATED_IN]->(b)")
INDUSTRY = ("UNWIND $rows AS r MATCH (a:Firm {key: r[0]}) MATCH (b:Industry {key: r[1]}) "
            "CREATE (a)-[:IN_INDUSTRY]->(b)")
SUPPLIES = ("UNWIND $rows AS r MATCH (a:Firm {key: r[0]}) MATCH (b:Firm {key: r[1]}) "
            "CREATE (a)-[x:SUPPLIES]->(b) SET x = r[2]")


def _parallel(driver, cypher: str, rows: list) -> None:
    chunks = [rows[i:i + BATCH] for i in range(0, len(rows), BATCH)]

    def one(chunk):
        with driver.session() as s:
            s.execute_write(lambda tx: tx.run(cypher, rows=chunk).consume())

    with ThreadPoolExecutor(WORKERS) as pool:
        for f in [pool.submit(one, c) for c in chunks]:
            f.result()


def firms(graph: dict, source: str, jvm_pid: int | None) -> dict:
    from connection import get_driver

    f, sup, idx = graph["firms"], graph["firm_supply"], graph["index"]
    props = f.drop(columns=["key", "region"]).assign(source=source).to_dict("records")
    firm_rows = [[k, p] for k, p in zip(f["key"].tolist(), props)]
    located = [list(r) for r in zip(f["key"].tolist(), f["country"].tolist())]
    industry = [list(r) for r in zip(f["key"].tolist(), f["industry"].tolist())]
    supplies = [[s, b, {"year": int(y), "product": p, "value": v, "a": a, "b": bb, "source": source}]
                for s, b, y, p, v, a, bb in zip(sup["supplier"].tolist(), sup["buyer"].tolist(), sup["year"].tolist(),
                                               sup["product"].tolist(), sup["value"].tolist(), idx["a"].tolist(),
                                               idx["b"].tolist())]
    driver = get_driver()
    with PeakWatch(jvm_pid) as w:
        t0 = time.perf_counter()
        for cypher, rows in ((FIRMS, firm_rows), (LOCATED, located), (INDUSTRY, industry), (SUPPLIES, supplies)):
            _parallel(driver, cypher, rows)
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "python_peak_mib": w.peaks.python_mib, "jvm_peak_mib": w.peaks.jvm_mib}
