"""Pure transforms from results to what pages show: path tables and Sankey layers,
country aggregates for maps, chart figures, search text, URL parameters. No I/O."""
