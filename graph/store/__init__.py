"""Stores: one interface (:mod:`.base`), the embedded Oxigraph store (:mod:`.embedded`) and any SPARQL 1.1
server (:mod:`.remote`, selected by an endpoint id from :mod:`.config`, speaking the protocol of
:mod:`.sparql_http`, loading in pieces with :mod:`.remote_load` and keeping readers and writers apart with
:mod:`.remote_state`); the meta graph (:mod:`.provenance`), published read-only snapshots (:mod:`.snapshots`),
kept N-Triples files (:mod:`.graph_files`) and term conversions (:mod:`.terms`)."""
