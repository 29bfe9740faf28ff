"""Input-output arithmetic as pure numpy functions: no database, no files, no pandas I/O.

``iomath.basic`` holds the coefficients, inverses, linkages and the value added embodied
in exports; every formula, with its source, is in docs/methods.md.
"""
