package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Money conventions: exact BigDecimal, explicit rounding where division happens. */
public final class Money {
    /** Precision for ratios and averages (34 significant digits, half-even). */
    public static final MathContext MC = MathContext.DECIMAL128;

    private Money() {}

    /** Parses a decimal from text; throws with the offending text on garbage. */
    public static BigDecimal parse(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("not a decimal: '" + text + "'");
        }
    }

    /** Rounds a USD amount for display (2 decimals, half-even). */
    public static BigDecimal usd(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_EVEN);
    }

    public static BigDecimal divide(BigDecimal a, BigDecimal b) {
        return a.divide(b, MC);
    }

    public static String plain(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().toPlainString();
    }
}
