package dev.perptrader.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perptrader.bench.LocalServer.Call;
import dev.perptrader.bench.LocalServer.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * How the local Backpack checks a signed request (api doc §2): the X-API-Key is the bench's
 * public key, the X-Timestamp is inside its X-Window (at most 60 s) of the venue's clock, and
 * X-Signature is the ED25519 signature, under that key, of
 * {@code instruction=<name>&<params sorted by key>&timestamp=<ts>&window=<w>}, the params being the
 * query of a GET and the JSON body of any other method. Refusals read as Backpack's do.
 */
final class BackpackAuth {
    private static final long MAX_WINDOW_MS = 60_000;

    private final String apiKey;
    private final Ed25519PublicKeyParameters publicKey;

    BackpackAuth(String apiKey, byte[] publicKey) {
        this.apiKey = apiKey;
        this.publicKey = new Ed25519PublicKeyParameters(publicKey, 0);
    }

    /** Empty when {@code call} is signed for {@code instruction} as it must be; else the venue's refusal. */
    Optional<Reply> refusal(Call call, String instruction, JsonNode body, long nowMs) {
        String key = call.header("X-API-Key");
        String signature = call.header("X-Signature");
        String timestamp = call.header("X-Timestamp");
        String window = call.header("X-Window");
        if (key == null || signature == null || timestamp == null) {
            return Optional.of(BackpackVenue.error(401, "UNAUTHORIZED", "Missing API key, signature or timestamp"));
        }
        if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(BackpackVenue.error(401, "UNAUTHORIZED", "Unknown API key"));
        }
        long ts;
        long w;
        try {
            ts = Long.parseLong(timestamp);
            w = window == null ? 5000 : Long.parseLong(window);
        } catch (NumberFormatException e) {
            return Optional.of(BackpackVenue.error(400, "INVALID_CLIENT_REQUEST", "Invalid timestamp or window"));
        }
        if (w < 1 || w > MAX_WINDOW_MS) {
            return Optional.of(BackpackVenue.error(400, "INVALID_CLIENT_REQUEST", "Invalid window"));
        }
        if (nowMs > ts + w || ts > nowMs + w) {
            return Optional.of(BackpackVenue.error(400, "INVALID_CLIENT_REQUEST", "Request has expired"));
        }
        Optional<String> signing = signingString(call, instruction, body, timestamp, w);
        if (signing.isEmpty() || !verifies(signing.get(), signature)) {
            return Optional.of(BackpackVenue.error(400, "INVALID_CLIENT_REQUEST", "Invalid signature"));
        }
        return Optional.empty();
    }

    /** The string the client must have signed; empty when the body holds a value no signer could sign. */
    private static Optional<String> signingString(
            Call call, String instruction, JsonNode body, String timestamp, long window) {
        Map<String, String> params = new TreeMap<>();
        if ("GET".equals(call.method())) {
            params.putAll(call.query());
        } else if (body != null) {
            if (!body.isObject()) {
                return Optional.empty();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if (v.isTextual() || v.isIntegralNumber()) {
                    params.put(f.getKey(), v.asText());
                } else if (v.isBoolean()) {
                    params.put(f.getKey(), v.booleanValue() ? "true" : "false");
                } else {
                    return Optional.empty();
                }
            }
        }
        StringBuilder s = new StringBuilder("instruction=").append(instruction);
        params.forEach((k, v) -> s.append('&').append(k).append('=').append(v));
        return Optional.of(s.append("&timestamp=")
                .append(timestamp)
                .append("&window=")
                .append(window)
                .toString());
    }

    private boolean verifies(String message, String signatureBase64) {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        verifier.update(bytes, 0, bytes.length);
        return sig.length == 64 && verifier.verifySignature(sig);
    }
}
