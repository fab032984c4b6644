-- Give one Virtuoso user the rights euaigraph needs to write: SPARQL Update through /sparql-auth and the Graph
-- Store Protocol through /sparql-graph-crud-auth (HTTP digest authentication), and read-write access to every
-- graph. Anonymous users (/sparql) keep read-only access. Run it as dba with isql-vt, the placeholders replaced:
--   sed -e "s/{user}/euaigraph/" -e "s/{password}/$PASSWORD/" grant.sql | isql-vt 127.0.0.1:1111 dba "$DBA_PASSWORD"
-- (engines/launch.py does this with passwords it makes up, and never writes them to disk.)
DB.DBA.USER_CREATE ('{user}', '{password}');
GRANT SPARQL_UPDATE TO "{user}";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{user}', 7);
