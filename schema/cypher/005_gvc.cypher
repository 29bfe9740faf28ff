// GVC accounts per country and year (loader.mrio.gvc): one node per (table, country, year).
CREATE CONSTRAINT countryyear_key IF NOT EXISTS FOR (n:CountryYear) REQUIRE n.key IS UNIQUE;
CREATE INDEX countryyear_year IF NOT EXISTS FOR (n:CountryYear) ON (n.year);
CREATE INDEX countryyear_country IF NOT EXISTS FOR (n:CountryYear) ON (n.country);
