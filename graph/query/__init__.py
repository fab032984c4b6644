"""Queries: saved questions (:mod:`.saved`), the guard and runner every analyst query goes through
(:mod:`.run`), worker processes with a deadline (:mod:`.worker`), kept answers per data version
(:mod:`.answers`, :mod:`.warm`) and result formats (:mod:`.formats`)."""
