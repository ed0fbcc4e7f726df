package dev.perptrader.exchange.hyperliquid;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The venue's check of an {@code /exchange} body, as a WireMock transformer: it rebuilds the
 * signed bytes from the action, nonce, vault and expiresAfter the stub received (msgpack of the
 * action in its JSON order, as the server re-serialises it), makes the EIP-712 digest of the
 * phantom agent itself (written here, apart from the signer), recovers the signer with
 * {@link EcRecover} and looks it up among the known signers. An unknown signer gets what
 * Hyperliquid answers: HTTP 200 {@code {"status":"err","response":"User or API Wallet 0x…
 * does not exist."}}; a known one gets the stubbed reply. Shares with the code under test only
 * msgpack and Keccak, which the signature vectors pin.
 */
final class SignerCheck implements ResponseDefinitionTransformerV2 {
    static final String NAME = "hyperliquid-signer-check";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** A signer the venue knows, and the account it trades for (itself, or an agent's master). */
    private final Map<String, String> accountBySigner = new ConcurrentHashMap<>();

    private final List<String> recovered = java.util.Collections.synchronizedList(new ArrayList<>());
    /** "signer nonce" of every action taken, when reused nonces are refused. */
    private final java.util.Set<String> nonces = ConcurrentHashMap.newKeySet();

    private volatile String source = "a";
    private volatile boolean refusesReusedNonces;

    /** Signatures are checked for mainnet ("a") or testnet ("b"). */
    void network(HyperliquidNetwork network) {
        source = network == HyperliquidNetwork.MAINNET ? "a" : "b";
    }

    /**
     * Refuses a nonce a signer used before, as the venue does ("Invalid nonce: duplicate nonce
     * n"; api doc §7). Off by default: tests elsewhere build a fresh client per case on one fixed
     * clock, as a restarted process never would.
     */
    void refuseReusedNonces() {
        refusesReusedNonces = true;
    }

    void knows(String signer, String account) {
        accountBySigner.put(signer.toLowerCase(Locale.ROOT), account.toLowerCase(Locale.ROOT));
    }

    /** Forgets the known signers and what was recovered (one test's venue at a time). */
    void reset() {
        accountBySigner.clear();
        recovered.clear();
        nonces.clear();
        source = "a";
        refusesReusedNonces = false;
    }

    /** Every signer recovered so far, in arrival order. */
    List<String> recovered() {
        return List.copyOf(recovered);
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String body = event.getRequest().getBodyAsString();
        String signer;
        try {
            signer = signerOf(body.getBytes(StandardCharsets.UTF_8), source);
        } catch (RuntimeException e) {
            return ResponseDefinition.okForJson(
                    Map.of("status", "err", "response", "bad signature: " + e.getMessage()));
        }
        recovered.add(signer);
        if (!accountBySigner.containsKey(signer)) {
            return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"status\":\"err\",\"response\":\"User or API Wallet " + signer + " does not exist.\"}")
                    .build();
        }
        if (refusesReusedNonces) {
            long nonce = nonceOf(body);
            if (!nonces.add(signer + " " + nonce)) {
                return ResponseDefinition.okForJson(
                        Map.of("status", "err", "response", "Invalid nonce: duplicate nonce " + nonce));
            }
        }
        return event.getResponseDefinition();
    }

    private static long nonceOf(String body) {
        try {
            return JSON.readTree(body).path("nonce").asLong();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
    }

    /** The address that signed an /exchange body for the phantom agent {@code source}. */
    static String signerOf(byte[] body, String source) {
        Map<String, Object> posted;
        try {
            posted = JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> action = (Map<String, Object>) posted.get("action");
        long nonce = ((Number) posted.get("nonce")).longValue();
        String vault = (String) posted.get("vaultAddress");
        Number expires = (Number) posted.get("expiresAfter");
        byte[] cid = HyperliquidSigner.connectionId(
                HyperliquidSigner.msgpack(action), nonce, vault, expires == null ? null : expires.longValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> sig = (Map<String, Object>) posted.get("signature");
        BigInteger r = new BigInteger(((String) sig.get("r")).substring(2), 16);
        BigInteger s = new BigInteger(((String) sig.get("s")).substring(2), 16);
        int v = ((Number) sig.get("v")).intValue();
        return EcRecover.signer(agentDigest(cid, source), r, s, v);
    }

    /** EIP-712: keccak(0x1901 ‖ domain separator ‖ hash of Agent{source, connectionId}). */
    static byte[] agentDigest(byte[] connectionId, String source) {
        byte[] domainType =
                keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
        byte[] chainId = new byte[32];
        chainId[30] = 0x05; // 1337 = 0x0539
        chainId[31] = 0x39;
        byte[] domain = Keccak.hash(concat(domainType, keccak("Exchange"), keccak("1"), chainId, new byte[32]));
        byte[] struct =
                Keccak.hash(concat(keccak("Agent(string source,bytes32 connectionId)"), keccak(source), connectionId));
        return Keccak.hash(concat(new byte[] {0x19, 0x01}, domain, struct));
    }

    private static byte[] keccak(String text) {
        return Keccak.hash(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
