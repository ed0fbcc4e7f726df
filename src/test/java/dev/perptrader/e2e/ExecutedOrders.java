package dev.perptrader.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The orders a WireMock venue executed, kept the way the venue's own order history keeps them.
 * An order POST counts as executed when the stub that matched it moved the venue's position
 * scenario, whatever that stub then answers: a fill, an error status, a reset connection or a
 * reply that comes too late. Stubs that name {@link #LOOKUP} as their transformer are answered
 * from this record, so an order whose reply was lost can be found by its client id, and one the
 * venue never executed cannot.
 */
final class ExecutedOrders {
    /** The transformer a lookup stub names to be answered from this record. */
    static final String LOOKUP = "executed-orders";

    /** Answers one lookup request from the order bodies executed so far, oldest first. */
    @FunctionalInterface
    interface Lookup {
        ResponseDefinition answer(Request request, List<JsonNode> executed);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String orderPath;
    private final String scenario;
    private final Lookup lookup;
    private final List<JsonNode> executed = new CopyOnWriteArrayList<>();

    /**
     * Orders POSTed to {@code orderPath} by stubs that move scenario {@code scenario}; lookups
     * answered by {@code lookup}.
     */
    ExecutedOrders(String orderPath, String scenario, Lookup lookup) {
        this.orderPath = orderPath;
        this.scenario = scenario;
        this.lookup = lookup;
    }

    /** The WireMock extensions to build the venue's server with: the recorder and the lookups. */
    Extension[] extensions() {
        return new Extension[] {new Recorder(), new Answers()};
    }

    /** The bodies of the orders executed so far, oldest first. */
    List<JsonNode> executed() {
        return List.copyOf(executed);
    }

    /** Sees every request once it matched a stub, before any delay or fault of its reply. */
    private final class Recorder implements ServeEventListener {
        @Override
        public void afterMatch(ServeEvent event, Parameters parameters) {
            StubMapping stub = event.getStubMapping();
            Request r = event.getRequest();
            if (stub != null
                    && scenario.equals(stub.getScenarioName())
                    && stub.getNewScenarioState() != null
                    && r.getMethod().equals(RequestMethod.POST)
                    && orderPath.equals(URI.create(r.getUrl()).getPath())) {
                executed.add(parse(r.getBodyAsString()));
            }
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public String getName() {
            return LOOKUP + "-recorder";
        }
    }

    private final class Answers implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            return lookup.answer(event.getRequest(), executed());
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return LOOKUP;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
