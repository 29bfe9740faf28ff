// GVC accounts per country and year (loader.mrio.gvc): one node per (table, country, year).
CREATE CONSTRAINT countryyear_key IF NOT EXISTS FOR (n:CountryYear) REQUIRE n.key IS UNIQUE;
CREATE INDEX countryyear_year IF NOT EXISTS FOR (n:CountryYear) ON (n.year);
CREATE INDEX countryyear_country IF NOT EXISTS FOR (n:CountryYear) ON (n.country);
// Regional measures of inter-regional tables (loader.mrio.regional): one node per (table, region, year).
CREATE CONSTRAINT regionyear_key IF NOT EXISTS FOR (n:RegionYear) REQUIRE n.key IS UNIQUE;
CREATE INDEX regionyear_year IF NOT EXISTS FOR (n:RegionYear) ON (n.year);
