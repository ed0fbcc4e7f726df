package dev.perptrader.exchange.backpack;

/**
 * What signs Backpack's requests: the {@code X-API-Key} and the {@code X-Signature} of a signing
 * string. {@link BackpackCredentials} in use; tests wrap it to see when requests are signed.
 */
interface RequestSigner {
    /** The X-API-Key value. */
    String apiKey();

    /** The X-Signature value for a signing string. */
    String sign(String signingString);
}
