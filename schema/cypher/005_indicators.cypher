// Country indicators (loader tables: country_indicators): one Indicator node per indicator code.
CREATE CONSTRAINT indicator_key IF NOT EXISTS FOR (n:Indicator) REQUIRE n.key IS UNIQUE;
