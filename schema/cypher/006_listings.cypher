// The (dataset, year) listings the writer keeps (schema/listings.py): one node per kind of record,
// merged by concurrent loads, hence a key constraint.
CREATE CONSTRAINT listing_key IF NOT EXISTS FOR (n:Listing) REQUIRE n.key IS UNIQUE;
