"""Reference data from packages and small shipped files: countries, groupings, Korean
regions, industry classifications and concordances, GVC stages."""
