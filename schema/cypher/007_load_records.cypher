// What the writer's last loads left (loader/graph/unchanged.py): the store stamp every change renews, and one
// record per load's rows; merged by concurrent loads, hence a key constraint.
CREATE CONSTRAINT loadrecord_key IF NOT EXISTS FOR (n:LoadRecord) REQUIRE n.key IS UNIQUE;
