package dev.perptrader.exchange.hyperliquid;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Hyperliquid's wire takes (api/hyperliquid.md §2.7, §3): numbers as canonical strings,
 * prices on its significant-figure and decimal rules, the cloid, and the actions the bot sends,
 * as ordered maps whose key order is the one the server hashes.
 */
public final class HyperliquidWire {
    /** Perpetuals: a price has at most 6 − szDecimals decimals. */
    static final int PERP_MAX_DECIMALS = 6;

    private static final MathContext FIVE_FIGURES = new MathContext(5, RoundingMode.HALF_EVEN);

    private HyperliquidWire() {}

    /**
     * A number as the wire writes it: plain, without trailing zeros or a trailing dot, zero (and
     * negative zero) as "0". More than 8 decimals is refused, as the SDKs refuse it.
     */
    public static String number(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        BigDecimal s = v.stripTrailingZeros();
        if (s.scale() > 8) {
            throw new IllegalArgumentException("a Hyperliquid number has at most 8 decimals, not " + v.toPlainString());
        }
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }

    /**
     * {@code px} on a perpetual's price rules: 5 significant figures, then at most
     * 6 − {@code szDecimals} decimals, each rounded to the nearest (half to even, as the
     * Python SDK's "%.5g" and round() do on the same decimal value).
     */
    public static BigDecimal price(BigDecimal px, int szDecimals) {
        BigDecimal five = px.round(FIVE_FIGURES);
        int decimals = Math.max(0, PERP_MAX_DECIMALS - szDecimals);
        return five.scale() > decimals ? five.setScale(decimals, RoundingMode.HALF_EVEN) : five;
    }

    /**
     * The limit price of a resting order on the price rules, rounded away from the book: a buy
     * down, a sell up. Rounding to the nearest could lift a bid onto the ask (a post-only order
     * then refused, a GTC one taking at a price nobody chose); rounded this way the order is never
     * more aggressive than asked. Both roundings go the same way, so the second keeps the first's
     * direction.
     */
    public static BigDecimal passivePrice(BigDecimal px, boolean isBuy, int szDecimals) {
        RoundingMode away = isBuy ? RoundingMode.FLOOR : RoundingMode.CEILING;
        BigDecimal five = px.round(new MathContext(5, away));
        int decimals = Math.max(0, PERP_MAX_DECIMALS - szDecimals);
        return five.scale() > decimals ? five.setScale(decimals, away) : five;
    }

    /**
     * The limit price of an IOC order that stands in for a market order, as the SDKs make it:
     * {@code mark} moved by {@code slippage} (a fraction, 0.05 in the SDKs) against the taker,
     * then on the price rules. Rounding to the nearest can take a few ticks off the allowance
     * but never makes a buy's limit lower than the mark (5 figures are finer than any slippage
     * the bot allows), so the order stays marketable and its worst price bounded.
     */
    public static BigDecimal slippagePrice(BigDecimal mark, boolean isBuy, BigDecimal slippage, int szDecimals) {
        BigDecimal factor = isBuy ? BigDecimal.ONE.add(slippage) : BigDecimal.ONE.subtract(slippage);
        return price(mark.multiply(factor), szDecimals);
    }

    /**
     * {@code size} as the wire writes it. The trader rounds both legs to the coarser step before
     * it sends, so a size finer than szDecimals is a bug upstream: refused, never rounded here.
     */
    public static String size(BigDecimal size, int szDecimals) {
        if (size.stripTrailingZeros().scale() > szDecimals) {
            throw new IllegalArgumentException(
                    "size " + size.toPlainString() + " has more than the market's " + szDecimals + " decimals");
        }
        return number(size);
    }

    /**
     * The cloid of one of our client ids: "0x" and the first 16 bytes of keccak256(client id).
     * The same client id always gives the same cloid, so an order whose reply was lost is found
     * again ({@code orderStatus} by cloid) from what the book recorded before it was sent.
     */
    public static String cloid(String clientId) {
        byte[] hash = Keccak.hash(clientId.getBytes(StandardCharsets.UTF_8));
        return "0x" + HexFormat.of().formatHex(hash, 0, 16);
    }

    /** An IOC or post-only ({@code tif} "Ioc", "Alo", "Gtc") limit order action of one order. */
    public static Map<String, Object> order(
            int asset, boolean isBuy, BigDecimal px, String size, boolean reduceOnly, String tif, String cloid) {
        Map<String, Object> wire = new LinkedHashMap<>();
        wire.put("a", asset);
        wire.put("b", isBuy);
        wire.put("p", number(px));
        wire.put("s", size);
        wire.put("r", reduceOnly);
        wire.put("t", Map.of("limit", Map.of("tif", tif)));
        if (cloid != null) {
            wire.put("c", cloid);
        }
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", "order");
        action.put("orders", List.of(wire));
        action.put("grouping", "na");
        return action;
    }

    /** Cancels our order {@code cloid} on {@code asset}. */
    public static Map<String, Object> cancelByCloid(int asset, String cloid) {
        Map<String, Object> cancel = new LinkedHashMap<>();
        cancel.put("asset", asset);
        cancel.put("cloid", cloid);
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", "cancelByCloid");
        action.put("cancels", List.of(cancel));
        return action;
    }

    /** Sets {@code asset}'s leverage, cross or isolated margin. */
    public static Map<String, Object> updateLeverage(int asset, boolean isCross, int leverage) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", "updateLeverage");
        action.put("asset", asset);
        action.put("isCross", isCross);
        action.put("leverage", leverage);
        return action;
    }

    /**
     * The POST /exchange body: the action as signed, its nonce and signature, and vaultAddress
     * and expiresAfter as null when unused (as the Python SDK sends them).
     */
    public static Map<String, Object> exchangeBody(
            Map<String, ?> action,
            long nonce,
            HyperliquidSigner.Signature signature,
            String vaultAddress,
            Long expiresAfter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action);
        body.put("nonce", nonce);
        body.put("signature", signature.wire());
        body.put("vaultAddress", vaultAddress);
        body.put("expiresAfter", expiresAfter);
        return body;
    }
}
