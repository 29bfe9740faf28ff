"""What every page shares on screen: the page start (database check, synthetic badge),
outage handling, and one widget per query parameter."""
