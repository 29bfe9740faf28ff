"""The one graph writer every loader uses: the row model (rows), what a load touches and must
lock (scope, locks), the diff against the store (diff, plan, shares), its Cypher (statements),
where batches run (sinks), commit modes and the Dataset `loading` mark (write, marks) and the
load summary (summary)."""
