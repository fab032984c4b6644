"""Queries: saved questions (:mod:`.saved`), the guard (:mod:`.guard`) and the runner every analyst query goes
through (:mod:`.run`), worker processes cut off the network with a deadline and a byte limit (:mod:`.worker`,
:mod:`.isolation`; servers in a namespace of their own, :mod:`.isolated_server`), kept answers per data version
(:mod:`.answers`, :mod:`.warm`) and result formats (:mod:`.formats`)."""
