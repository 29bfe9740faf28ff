"""The one graph writer: the row model every loader produces, the diff against the store,
batching, commit modes, the Dataset `loading` mark and the load summary."""
