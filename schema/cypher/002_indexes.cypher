// Lookup indexes used by the loader, the query modules and the explorer's search.
CREATE INDEX country_name IF NOT EXISTS FOR (n:Country) ON (n.name);
CREATE INDEX region_name IF NOT EXISTS FOR (n:Region) ON (n.name);
CREATE INDEX region_kind IF NOT EXISTS FOR (n:Region) ON (n.kind);
CREATE INDEX industry_name IF NOT EXISTS FOR (n:Industry) ON (n.name);
CREATE INDEX industry_classification IF NOT EXISTS FOR (n:Industry) ON (n.classification);
CREATE INDEX sector_country IF NOT EXISTS FOR (n:Sector) ON (n.country);
CREATE INDEX sector_industry IF NOT EXISTS FOR (n:Sector) ON (n.industry);
CREATE INDEX sectoryear_year IF NOT EXISTS FOR (n:SectorYear) ON (n.year);
CREATE INDEX firm_name IF NOT EXISTS FOR (n:Firm) ON (n.name);
CREATE INDEX firm_country IF NOT EXISTS FOR (n:Firm) ON (n.country);
CREATE INDEX firm_industry IF NOT EXISTS FOR (n:Firm) ON (n.industry);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS
  FOR (n:Country|Region|Industry|Sector|Firm|Person) ON EACH [n.key, n.name];
