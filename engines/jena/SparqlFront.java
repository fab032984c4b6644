// A small SPARQL 1.1 Protocol and Graph Store Protocol front for Apache Jena (ARQ + TDB2), for the Jena 4.5 that
// Debian ships without Fuseki. Jena does all the work: parsing, query and update evaluation, transactions, RDF
// reading and writing. This file only maps HTTP requests to Jena calls.
//
//   java -cp <classes>:<jena jars> SparqlFront --location DIR --port N [--timeout-s S] [--user NAME]
//
// The password for --user comes from the environment variable EUAIGRAPH_FRONT_PASSWORD (never a command line
// argument, which other users of the machine can read). With a user, /update and writes to /store need HTTP
// basic authentication; reads never do. The server listens on 127.0.0.1 only.
//
//   /query   GET ?query= or POST (form-encoded, or application/sparql-query); default-graph-uri and
//            named-graph-uri name the dataset; without them the default graph is the union of the named graphs
//   /update  POST (form-encoded update=, or application/sparql-update), one write transaction per request
//   /store   GET/POST/PUT/DELETE ?graph=IRI (or ?default); without either, GET reads every quad (N-Quads) and
//            POST adds quads (N-Quads, TriG)

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.jena.atlas.web.ContentType;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.riot.system.StreamRDFBase;
import org.apache.jena.riot.system.StreamRDFWriter;
import org.apache.jena.sparql.core.DatasetDescription;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DynamicDatasets;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.update.UpdateAction;

public final class SparqlFront {
    private static DatasetGraph dataset;
    private static long timeoutMs = 30_000;
    private static String credentials;  // "user:password" when writes need authentication

    /** A request that cannot be answered, with the HTTP status to send. */
    private static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    public static void main(String[] args) throws IOException {
        String location = null;
        int port = 0;
        String user = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--location" -> location = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--timeout-s" -> timeoutMs = (long) (Double.parseDouble(args[i + 1]) * 1000);
                case "--user" -> user = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (location == null || port == 0) {
            throw new IllegalArgumentException("usage: SparqlFront --location DIR --port N [--timeout-s S] [--user NAME]");
        }
        if (user != null) {
            String password = System.getenv("EUAIGRAPH_FRONT_PASSWORD");
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("--user needs the password in EUAIGRAPH_FRONT_PASSWORD");
            }
            credentials = user + ":" + password;
        }
        dataset = DatabaseMgr.connectDatasetGraph(location);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/query", exchange -> answer(exchange, SparqlFront::query));
        server.createContext("/update", exchange -> answer(exchange, SparqlFront::update));
        server.createContext("/store", exchange -> answer(exchange, SparqlFront::store));
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
        System.out.flush();
    }

    private interface Handler {
        void handle(HttpExchange exchange, Map<String, List<String>> params) throws IOException;
    }

    /** Runs a handler; a refusal or an error before the answer started becomes a plain-text error answer. */
    private static void answer(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            try {
                handler.handle(exchange, params(exchange));
            } catch (Refused exc) {
                fail(exchange, exc.status, exc.getMessage());
            } catch (QueryParseException exc) {
                fail(exchange, 400, "Parse error: " + exc.getMessage());
            } catch (QueryCancelledException exc) {
                fail(exchange, 503, "Query cancelled: the time limit of " + timeoutMs / 1000.0 + " s was reached");
            } catch (RiotException exc) {
                fail(exchange, 400, "RDF syntax error: " + exc.getMessage());
            } catch (RuntimeException exc) {
                fail(exchange, 500, exc.getClass().getSimpleName() + ": " + exc.getMessage());
            }
        }
    }

    private static void fail(HttpExchange exchange, int status, String message) throws IOException {
        if (exchange.getResponseCode() != -1) {
            // The answer has started: end the connection without the last chunk, so the client sees it cut off.
            throw new IOException("answer cut off: " + message);
        }
        byte[] body = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (status == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"euaigraph\"");
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    // -- request parameters --------------------------------------------------------------------------------
    private static Map<String, List<String>> params(HttpExchange exchange) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        decodeForm(exchange.getRequestURI().getRawQuery(), out);
        if ("POST".equals(exchange.getRequestMethod()) && mediaType(exchange).equals("application/x-www-form-urlencoded")) {
            decodeForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), out);
        }
        return out;
    }

    private static void decodeForm(String text, Map<String, List<String>> out) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static String mediaType(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Content-Type");
        return header == null ? "" : header.split(";")[0].trim().toLowerCase();
    }

    private static String one(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String bodyText(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static boolean accepts(HttpExchange exchange, String mediaType) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains(mediaType);
    }

    private static void requireWriter(HttpExchange exchange) {
        if (credentials == null) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            throw new Refused(401, "writing needs the endpoint's user name and password");
        }
    }

    // -- /query ---------------------------------------------------------------------------------------------
    private static void query(HttpExchange exchange, Map<String, List<String>> params) throws IOException {
        String text = one(params, "query");
        if (text == null && "POST".equals(exchange.getRequestMethod()) && mediaType(exchange).equals("application/sparql-query")) {
            text = bodyText(exchange);
        }
        if (text == null) {
            throw new Refused(400, "no query: send query= (GET or form-encoded POST) or an application/sparql-query body");
        }
        Query query = QueryFactory.create(text);
        List<String> defaults = params.getOrDefault("default-graph-uri", List.of());
        List<String> named = params.getOrDefault("named-graph-uri", List.of());
        DatasetDescription description = defaults.isEmpty() && named.isEmpty()
                ? DatasetDescription.create(query) : new DatasetDescription(defaults, named);
        Txn.executeRead(dataset, () -> {
            boolean union = description == null || description.isEmpty();
            DatasetGraph target = union ? dataset : DynamicDatasets.dynamicDataset(description, dataset, false);
            try (QueryExecution execution = QueryExecution.dataset(DatasetFactory.wrap(target)).query(query)
                    .set(TDB2.symUnionDefaultGraph, union).timeout(timeoutMs, TimeUnit.MILLISECONDS).build()) {
                send(exchange, query, execution);
            } catch (IOException exc) {
                throw new RuntimeException(exc);
            }
        });
    }

    private static void send(HttpExchange exchange, Query query, QueryExecution execution) throws IOException {
        if (query.isSelectType()) {
            ResultSet results = execution.execSelect();
            results.hasNext();  // evaluate up to the first row, so most errors and time-outs come before the answer
            exchange.getResponseHeaders().set("Content-Type", "application/sparql-results+json");
            exchange.sendResponseHeaders(200, 0);
            ResultSetFormatter.outputAsJSON(exchange.getResponseBody(), results);
        } else if (query.isAskType()) {
            boolean answer = execution.execAsk();
            exchange.getResponseHeaders().set("Content-Type", "application/sparql-results+json");
            exchange.sendResponseHeaders(200, 0);
            ResultSetFormatter.outputAsJSON(exchange.getResponseBody(), answer);
        } else {
            Iterator<Triple> triples = query.isConstructType() ? execution.execConstructTriples()
                    : execution.execDescribeTriples();
            triples.hasNext();
            // N-Triples is also Turtle: the same bytes answer either media type.
            boolean ntriples = accepts(exchange, "application/n-triples");
            exchange.getResponseHeaders().set("Content-Type", ntriples ? "application/n-triples" : "text/turtle");
            exchange.sendResponseHeaders(200, 0);
            StreamRDF writer = StreamRDFWriter.getWriterStream(exchange.getResponseBody(), Lang.NTRIPLES);
            writer.start();
            triples.forEachRemaining(writer::triple);
            writer.finish();
        }
    }

    // -- /update --------------------------------------------------------------------------------------------
    private static void update(HttpExchange exchange, Map<String, List<String>> params) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new Refused(405, "updates are sent with POST");
        }
        requireWriter(exchange);
        String text = one(params, "update");
        if (text == null && mediaType(exchange).equals("application/sparql-update")) {
            text = bodyText(exchange);
        }
        if (text == null) {
            throw new Refused(400, "no update: send update= (form-encoded) or an application/sparql-update body");
        }
        String request = text;
        Txn.executeWrite(dataset, () -> UpdateAction.parseExecute(request, dataset));
        exchange.sendResponseHeaders(204, -1);
    }

    // -- /store (Graph Store Protocol) ---------------------------------------------------------------------
    private static void store(HttpExchange exchange, Map<String, List<String>> params) throws IOException {
        String method = exchange.getRequestMethod();
        String graph = one(params, "graph");
        boolean whole = graph == null && !params.containsKey("default");
        Node node = graph != null ? NodeFactory.createURI(graph) : Quad.defaultGraphIRI;
        switch (method) {
            case "GET", "HEAD" -> Txn.executeRead(dataset, () -> {
                try {
                    read(exchange, whole, node, "HEAD".equals(method));
                } catch (IOException exc) {
                    throw new RuntimeException(exc);
                }
            });
            case "POST", "PUT" -> {
                requireWriter(exchange);
                Lang lang = RDFLanguages.contentTypeToLang(ContentType.create(mediaType(exchange)));
                if (lang == null) {
                    throw new Refused(415, "unsupported media type " + mediaType(exchange));
                }
                if (whole && !RDFLanguages.isQuads(lang)) {
                    throw new Refused(400, "name a graph (?graph=IRI) or send quads (N-Quads, TriG)");
                }
                InputStream body = exchange.getRequestBody();
                Txn.executeWrite(dataset, () -> {
                    if ("PUT".equals(method)) {
                        if (whole) {
                            dataset.clear();
                        } else {
                            dataset.deleteAny(node, Node.ANY, Node.ANY, Node.ANY);
                        }
                    }
                    RDFParser.source(body).lang(lang).parse(into(whole, node));
                });
                exchange.sendResponseHeaders(204, -1);
            }
            case "DELETE" -> {
                requireWriter(exchange);
                boolean existed = Txn.calculateWrite(dataset, () -> {
                    boolean found = whole || dataset.containsGraph(node);
                    if (whole) {
                        dataset.clear();
                    } else {
                        dataset.deleteAny(node, Node.ANY, Node.ANY, Node.ANY);
                    }
                    return found;
                });
                exchange.sendResponseHeaders(existed ? 204 : 404, -1);
            }
            default -> throw new Refused(405, "method " + method + " is not part of the Graph Store Protocol");
        }
    }

    private static void read(HttpExchange exchange, boolean whole, Node node, boolean head) throws IOException {
        if (!whole && !node.equals(Quad.defaultGraphIRI) && !dataset.containsGraph(node)) {
            throw new Refused(404, "no graph " + node.getURI());
        }
        Lang lang = whole ? Lang.NQUADS
                : (accepts(exchange, "text/turtle") && !accepts(exchange, "application/n-triples") ? Lang.TURTLE : Lang.NTRIPLES);
        exchange.getResponseHeaders().set("Content-Type", lang.getContentType().getContentTypeStr());
        if (head) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        if (whole) {
            StreamRDF writer = StreamRDFWriter.getWriterStream(out, Lang.NQUADS);
            writer.start();
            dataset.find().forEachRemaining(writer::quad);
            writer.finish();
        } else if (lang == Lang.NTRIPLES) {
            StreamRDF writer = StreamRDFWriter.getWriterStream(out, Lang.NTRIPLES);
            writer.start();
            dataset.find(node, Node.ANY, Node.ANY, Node.ANY).forEachRemaining(quad -> writer.triple(quad.asTriple()));
            writer.finish();
        } else {
            RDFDataMgr.write(out, dataset.getGraph(node), lang);
        }
    }

    /** Where parsed RDF goes: each triple into the named graph, or each quad into its own graph. */
    private static StreamRDF into(boolean whole, Node node) {
        return new StreamRDFBase() {
            @Override
            public void triple(Triple triple) {
                dataset.add(node, triple.getSubject(), triple.getPredicate(), triple.getObject());
            }

            @Override
            public void quad(Quad quad) {
                if (whole) {
                    dataset.add(quad);
                } else {
                    triple(quad.asTriple());
                }
            }
        };
    }
}
