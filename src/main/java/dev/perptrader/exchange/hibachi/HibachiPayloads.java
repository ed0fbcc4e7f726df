package dev.perptrader.exchange.hibachi;

import dev.perptrader.domain.OrderSide;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The fixed binary payloads Hibachi signs (API doc §2.3). Every integer is unsigned big-endian;
 * decimals become integers with exact BigDecimal/BigInteger arithmetic, never a double.
 *
 * <p>Place order: nonce(8) ‖ contractId(4) ‖ quantity(8) ‖ side(4) ‖ [price(8), LIMIT only] ‖
 * maxFeesPercent(8); 32 bytes for a market order, 40 for a limit order. Cancel one order and
 * cancel all: one u64 (the order id, or the nonce).
 */
final class HibachiPayloads {
    /** maxFeesPercent is sent as a fraction and signed as fraction × 10^8. */
    static final int FEE_DECIMALS = 8;

    private static final BigInteger TWO_POW_32 = BigInteger.ONE.shiftLeft(32);
    private static final BigInteger U32_LIMIT = BigInteger.ONE.shiftLeft(32);
    private static final BigInteger U64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private HibachiPayloads() {}

    /** The 32-byte payload of a MARKET order (no price field). */
    static byte[] marketOrder(
            long nonce,
            long contractId,
            BigDecimal quantity,
            int underlyingDecimals,
            OrderSide side,
            BigDecimal maxFeesPercent) {
        Bytes out = new Bytes();
        out.u64(unsigned(nonce), "nonce");
        out.u32(BigInteger.valueOf(contractId), "contractId");
        out.u64(quantityUnits(quantity, underlyingDecimals), "quantity");
        out.u32(BigInteger.valueOf(sideCode(side)), "side");
        out.u64(feeUnits(maxFeesPercent), "maxFeesPercent");
        return out.toByteArray();
    }

    /** The 40-byte payload of a LIMIT order: the market layout with the price before the fee. */
    static byte[] limitOrder(
            long nonce,
            long contractId,
            BigDecimal quantity,
            int underlyingDecimals,
            OrderSide side,
            BigDecimal price,
            int settlementDecimals,
            BigDecimal maxFeesPercent) {
        Bytes out = new Bytes();
        out.u64(unsigned(nonce), "nonce");
        out.u32(BigInteger.valueOf(contractId), "contractId");
        out.u64(quantityUnits(quantity, underlyingDecimals), "quantity");
        out.u32(BigInteger.valueOf(sideCode(side)), "side");
        out.u64(priceUnits(price, settlementDecimals, underlyingDecimals), "price");
        out.u64(feeUnits(maxFeesPercent), "maxFeesPercent");
        return out.toByteArray();
    }

    /** Cancel one order by id: the id as u64 (never its decimal text). */
    static byte[] cancelOrder(long orderId) {
        Bytes out = new Bytes();
        out.u64(unsigned(orderId), "orderId");
        return out.toByteArray();
    }

    /** Cancel one order by the nonce it was placed with: the nonce as u64 (api doc §2.3). */
    static byte[] cancelByNonce(long nonce) {
        Bytes out = new Bytes();
        out.u64(unsigned(nonce), "nonce");
        return out.toByteArray();
    }

    /** Cancel all orders: a fresh nonce as u64. */
    static byte[] cancelAll(long nonce) {
        Bytes out = new Bytes();
        out.u64(unsigned(nonce), "nonce");
        return out.toByteArray();
    }

    /** ASK (sell) = 0, BID (buy) = 1. */
    static int sideCode(OrderSide side) {
        return side == OrderSide.BUY ? 1 : 0;
    }

    /** "BID" for a buy, "ASK" for a sell: the word sent in the body beside the signed code. */
    static String sideName(OrderSide side) {
        return side == OrderSide.BUY ? "BID" : "ASK";
    }

    /**
     * quantity × 10^underlyingDecimals. A quantity with more decimals than the contract has is
     * refused: truncating it would sign a different quantity than the one sent.
     */
    static BigInteger quantityUnits(BigDecimal quantity, int underlyingDecimals) {
        if (quantity.signum() <= 0) {
            throw new IllegalArgumentException("quantity <= 0: " + quantity.toPlainString());
        }
        if (quantity.stripTrailingZeros().scale() > underlyingDecimals) {
            throw new IllegalArgumentException(
                    "quantity " + quantity.toPlainString() + " has more than " + underlyingDecimals + " decimals");
        }
        return quantity.movePointRight(underlyingDecimals).toBigIntegerExact();
    }

    /** price × 2^32 × 10^(settlementDecimals − underlyingDecimals), truncated toward zero. */
    static BigInteger priceUnits(BigDecimal price, int settlementDecimals, int underlyingDecimals) {
        if (price.signum() <= 0) {
            throw new IllegalArgumentException("price <= 0: " + price.toPlainString());
        }
        BigDecimal scaled =
                price.multiply(new BigDecimal(TWO_POW_32)).movePointRight(settlementDecimals - underlyingDecimals);
        return scaled.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /** maxFeesPercent × 10^8, truncated toward zero. */
    static BigInteger feeUnits(BigDecimal maxFeesPercent) {
        if (maxFeesPercent.signum() < 0) {
            throw new IllegalArgumentException("maxFeesPercent < 0: " + maxFeesPercent.toPlainString());
        }
        return maxFeesPercent
                .movePointRight(FEE_DECIMALS)
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    private static BigInteger unsigned(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative u64 value: " + value);
        }
        return BigInteger.valueOf(value);
    }

    /** Big-endian unsigned writer with range checks. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(40);

        void u32(BigInteger v, String field) {
            write(v, 4, U32_LIMIT, field);
        }

        void u64(BigInteger v, String field) {
            write(v, 8, U64_LIMIT, field);
        }

        private void write(BigInteger v, int width, BigInteger limit, String field) {
            if (v.signum() < 0 || v.compareTo(limit) >= 0) {
                throw new IllegalArgumentException(field + " does not fit in " + width + " unsigned bytes: " + v);
            }
            byte[] raw = v.toByteArray();
            int skip = raw.length > width ? raw.length - width : 0; // a leading sign byte
            for (int i = raw.length - skip; i < width; i++) {
                out.write(0);
            }
            out.write(raw, skip, raw.length - skip);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
