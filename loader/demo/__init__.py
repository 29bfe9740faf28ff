"""The demo: a deterministic synthetic firm layer (firms, people, ownership, FDI, supply,
stages, trade) drawn from one seeded generator and loaded like any table folder."""
