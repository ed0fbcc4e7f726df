package dev.perptrader.exchange.backpack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The venue's side of §2, written independently of the client: rebuilds the signing string from
 * what WireMock received (instruction from method + path, parameters from the query or the JSON
 * body, timestamp and window from the headers) and verifies X-Signature with the public key.
 */
final class SignedRequests {
    /** The api doc's instruction table (the endpoints this client signs). */
    static final Map<String, String> INSTRUCTIONS = Map.of(
            "GET /api/v1/account", "accountQuery",
            "PATCH /api/v1/account", "accountUpdate",
            "GET /api/v1/capital/collateral", "collateralQuery",
            "GET /api/v1/position", "positionQuery",
            "GET /api/v1/order", "orderQuery",
            "POST /api/v1/order", "orderExecute",
            "DELETE /api/v1/order", "orderCancel",
            "GET /wapi/v1/history/orders", "orderHistoryQueryAll",
            "GET /wapi/v1/history/fills", "fillHistoryQueryAll",
            "GET /wapi/v1/history/funding", "fundingHistoryQueryAll");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedRequests() {}

    static boolean isSignedEndpoint(LoggedRequest r) {
        return INSTRUCTIONS.containsKey(r.getMethod().getName() + " " + path(r));
    }

    /** The signing string the venue would compute for this request. */
    static String rebuild(LoggedRequest r) {
        String method = r.getMethod().getName();
        String instruction = INSTRUCTIONS.get(method + " " + path(r));
        assertThat(instruction).as("instruction for %s %s", method, path(r)).isNotNull();
        Map<String, String> params = new TreeMap<>();
        if ("GET".equals(method)) {
            for (Map.Entry<String, QueryParameter> e : r.getQueryParams().entrySet()) {
                assertThat(e.getValue().values())
                        .as("single value for %s", e.getKey())
                        .hasSize(1);
                params.put(e.getKey(), e.getValue().firstValue());
            }
        } else {
            params.putAll(bodyParams(r.getBodyAsString()));
        }
        StringBuilder s = new StringBuilder("instruction=").append(instruction);
        params.forEach((k, v) -> s.append('&').append(k).append('=').append(v));
        return s.append("&timestamp=")
                .append(r.getHeader("X-Timestamp"))
                .append("&window=")
                .append(r.getHeader("X-Window"))
                .toString();
    }

    /** JSON body fields as the venue signs them; JSON nulls and decimal numbers are refused. */
    static Map<String, String> bodyParams(String body) {
        Map<String, String> params = new TreeMap<>();
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(node.isObject()).as("body is a JSON object: %s", body).isTrue();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            assertThat(v.isNull()).as("JSON null sent for %s", f.getKey()).isFalse();
            assertThat(v.isFloatingPointNumber())
                    .as("decimal sent as a JSON number for %s", f.getKey())
                    .isFalse();
            assertThat(v.isContainerNode())
                    .as("nested value for %s", f.getKey())
                    .isFalse();
            params.put(f.getKey(), v.isBoolean() ? (v.booleanValue() ? "true" : "false") : v.asText());
        }
        return params;
    }

    static boolean verifies(LoggedRequest r) {
        String signature = r.getHeader("X-Signature");
        return signature != null && verifies(rebuild(r), signature);
    }

    static boolean verifies(String signingString, String signatureBase64) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(Base64.getDecoder().decode(Kit.PUBLIC_KEY), 0));
        byte[] msg = signingString.getBytes(StandardCharsets.UTF_8);
        verifier.update(msg, 0, msg.length);
        return verifier.verifySignature(Base64.getDecoder().decode(signatureBase64));
    }

    /**
     * Every request to a signed endpoint carries the key, a timestamp, a window of at most 60 s
     * (5000 unless the test set another) and a valid
     * signature; no public request carries a signature. Returns how many were verified.
     */
    static int assertAllVerify(List<ServeEvent> events) {
        int verified = 0;
        for (ServeEvent e : events) {
            LoggedRequest r = e.getRequest();
            String name = r.getMethod().getName() + " " + r.getUrl();
            if (isSignedEndpoint(r)) {
                assertThat(r.getHeader("X-API-Key")).as("X-API-Key of %s", name).isEqualTo(Kit.PUBLIC_KEY);
                assertThat(r.getHeader("X-Timestamp"))
                        .as("X-Timestamp of %s", name)
                        .matches("\\d{13}");
                assertThat(r.getHeader("X-Window")).as("X-Window of %s", name).matches("[1-9][0-9]{0,4}");
                assertThat(Long.parseLong(r.getHeader("X-Window")))
                        .as("X-Window of %s", name)
                        .isLessThanOrEqualTo(60_000);
                assertThat(verifies(r))
                        .as("signature of %s over %s", name, rebuild(r))
                        .isTrue();
                verified++;
            } else {
                assertThat(r.containsHeader("X-Signature"))
                        .as("public %s is unsigned", name)
                        .isFalse();
            }
        }
        return verified;
    }

    private static String path(LoggedRequest r) {
        return URI.create(r.getUrl()).getPath();
    }
}
