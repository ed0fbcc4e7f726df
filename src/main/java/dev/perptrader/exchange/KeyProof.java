package dev.perptrader.exchange;

import java.util.Objects;

/**
 * What a venue said about our signing key when asked with a signed request that cannot trade.
 * {@link Verdict#CANNOT_PROVE} when the venue has no such request (or could not be reached): the
 * key is then neither proven right nor wrong.
 */
public record KeyProof(Verdict verdict, String detail) {
    public enum Verdict {
        PROVEN,
        WRONG,
        CANNOT_PROVE
    }

    public KeyProof {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    public static KeyProof proven(String detail) {
        return new KeyProof(Verdict.PROVEN, detail);
    }

    public static KeyProof wrong(String detail) {
        return new KeyProof(Verdict.WRONG, detail);
    }

    public static KeyProof cannotProve(String detail) {
        return new KeyProof(Verdict.CANNOT_PROVE, detail);
    }
}
