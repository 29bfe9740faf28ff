// Earlier versions indexed relationship `year`. With the statistics of an empty
// database (a first load plans once and keeps the plan), Neo4j served
// `MERGE (a)-[r:SUPPLIES {year: ..}]->(b)` and per-firm share sums by seeking that
// index over ALL links of the year for every row: quadratic loads (docs/scaling.md).
// Without it the planner expands from the bound nodes. DROP ... IF EXISTS is idempotent.
DROP INDEX supplies_year IF EXISTS;
DROP INDEX exports_year IF EXISTS;
DROP INDEX invests_year IF EXISTS;
