-- Give one Virtuoso user the rights euaigraph needs to write: SPARQL Update through /sparql-auth and the Graph
-- Store Protocol through /sparql-graph-crud-auth (HTTP digest authentication), and read-write access to every
-- graph. Anonymous users (/sparql) keep read-only access. Run it as dba with isql-vt, the placeholders replaced:
--   sed -e "s/{user}/euaigraph/" -e "s/{password}/$PASSWORD/" grant.sql | isql-vt 127.0.0.1:1111 dba "$DBA_PASSWORD"
-- (engines/launch.py does this with passwords it makes up, and never writes them to disk.)
DB.DBA.USER_CREATE ('{user}', '{password}');
GRANT SPARQL_UPDATE TO "{user}";
-- Graph permissions 3 = read and write, without 4 (sponge): the writer cannot make Virtuoso fetch a URL into a
-- graph (LOAD <url>, FROM <url> with define get:soft). SPARQL_UPDATE includes the SPARQL_SPONGE role, which may
-- call SERVICE: no euaigraph query needs a remote endpoint, so the role loses the federated-query view and
-- procedure (anonymous users never had them). tests/remote/test_engine_reach.py checks that no request leaves.
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{user}', 3);
REVOKE SELECT ON DB.DBA.SPARQL_SINV_2 FROM SPARQL_SPONGE;
REVOKE EXECUTE ON DB.DBA.SPARQL_SINV_IMP FROM SPARQL_SPONGE;
