"""Input-output arithmetic as pure numpy functions: no database, no files, no pandas I/O.

``iomath.basic`` holds the coefficients, inverses, linkages and the value added embodied
in exports; every formula, with its source, is in docs/methods.md. GVC accounting:
``iomath.gvc`` (a table prepared once: value added in exports and in final demand, VAX),
``iomath.wwz`` (Wang-Wei-Zhu 16 terms, Koopman-Wang-Wei 9 terms), ``iomath.bm``
(Borin-Mancini source-based terms), ``iomath.gvc_measures`` (participation and position,
value-added generation coefficients, the regional split of value added), ``iomath.regional``
(inter-regional tables: value added the regions of a country generate for each other through
exports abroad, regional TiVA); equations in docs/methods.md, section 19.
"""
