// One uniqueness constraint per label on its natural key `key`.
// Every statement is IF NOT EXISTS, so applying twice changes nothing.
CREATE CONSTRAINT country_key IF NOT EXISTS FOR (n:Country) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT region_key IF NOT EXISTS FOR (n:Region) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT industry_key IF NOT EXISTS FOR (n:Industry) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT sector_key IF NOT EXISTS FOR (n:Sector) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT sectoryear_key IF NOT EXISTS FOR (n:SectorYear) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT firm_key IF NOT EXISTS FOR (n:Firm) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT stage_key IF NOT EXISTS FOR (n:Stage) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT dataset_key IF NOT EXISTS FOR (n:Dataset) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT report_key IF NOT EXISTS FOR (n:Report) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT reportversion_key IF NOT EXISTS FOR (n:ReportVersion) REQUIRE n.key IS UNIQUE;
// Loads serialize on LoadLock nodes (loader/graph/locks.py): MERGE of one key waits while
// another open transaction holds it; the constraint makes that wait happen.
CREATE CONSTRAINT loadlock_key IF NOT EXISTS FOR (n:LoadLock) REQUIRE n.key IS UNIQUE;
