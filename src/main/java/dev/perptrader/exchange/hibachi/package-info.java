/**
 * The Hibachi (hibachi.xyz) client: {@link dev.perptrader.exchange.hibachi.HibachiExchange} over
 * REST, {@link dev.perptrader.exchange.hibachi.HibachiSigner} (HMAC-SHA256 or ECDSA secp256k1)
 * and the binary payloads they sign. The facts come from {@code shared/api/hibachi.md}; where
 * that document is unsure, these choices were made:
 *
 * <ul>
 *   <li><b>Reduce-only</b>: {@code "orderFlags":"REDUCE_ONLY"} in the body (§3.4). Flags are not
 *       part of the signed payload (§2.3).</li>
 *   <li><b>Client id = nonce</b>: epoch microseconds corrected by the venue clock offset, strictly
 *       increasing. An order whose placement timed out is found with
 *       {@code GET /trade/order?accountId=&nonce=} (§3.5, gotcha 8); errorCode 3 means the venue
 *       never saw it. A nonce more than 15 s from the venue clock is refused before sending.</li>
 *   <li><b>Fill confirmation</b>: {@code GET /trade/order?orderId=} until the status is final
 *       (a few polls); {@code avgFillPrice} from {@code /trade/orders/history} (title-case status),
 *       else the volume-weighted price of the order's trades; the fee from
 *       {@code /trade/account/trades} (zero with a warning when they cannot be read).</li>
 *   <li><b>Quotes</b>: {@code /market/data/prices} once per requested symbol. The one-call
 *       {@code /market/inventory} has mark prices but no funding rate, and the trader asks for one
 *       or two symbols per venue and tick.</li>
 *   <li><b>Funding</b>: {@code /trade/account/settlements_history} filtered by {@code contractId},
 *       then by symbol and time here (the endpoint's time-filter units are undocumented);
 *       {@code settledAmount} is signed, positive = received.</li>
 *   <li><b>Leverage</b>: portfolio margin, no leverage setting ({@code /trade/account/leverage} is
 *       undocumented and not called). {@code ensureLeverage} checks leverage × initialMarginRate
 *       ≤ 1 and names the maximum otherwise.</li>
 *   <li><b>maxFeesPercent</b>: max(0.001, 2 × exchange-info's taker fee), the SDK's headroom with
 *       a floor; at most 8 decimals so the signed ×10^8 value is exactly the text sent.</li>
 *   <li><b>Quantity</b>: a quantity off the contract's step or with more decimals than it has is
 *       refused as BELOW_MINIMUM, never silently truncated.</li>
 *   <li><b>Clock offset</b>: measured by {@code clockOffset()} and whenever exchange-info is
 *       (re)loaded, every five minutes at most.</li>
 * </ul>
 */
package dev.perptrader.exchange.hibachi;
