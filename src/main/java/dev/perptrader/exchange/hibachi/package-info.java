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
 *       never saw it. A nonce more than 15 s from the venue clock is not sent (CLOCK_REJECTED).</li>
 *   <li><b>Refusals</b>: errorCode 2 "Invalid signature", "MacError" and 401/403 to a request with
 *       the API key are AUTH_FAILED. A refusal naming the nonce and its time is CLOCK_REJECTED: the
 *       docs give the ±15 s rule but no error text, so the message is matched loosely
 *       ({@code HibachiErrors.isNonceWindow}); the clock offset is then measured at once.</li>
 *   <li><b>Fill confirmation</b>: {@code GET /trade/order?orderId=} until the status is final
 *       (a few polls); then, both at once, {@code avgFillPrice} from {@code /trade/orders/history}
 *       (title-case status), else the volume-weighted price of the order's trades, and the fee from
 *       {@code /trade/account/trades} (zero with a warning when they cannot be read).</li>
 *   <li><b>Quotes</b> (mark and funding, read when opening): {@code /market/data/prices} once
 *       per requested symbol. <b>Marks</b> (read by the monitor every tick): {@code /market/inventory},
 *       one call for every market, so a tick's cost does not grow with the markets held; it has
 *       mark prices but no funding rate.</li>
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
 *   <li><b>Clock offset</b>: measured on first use, then every {@code exchanges.clock_check_minutes}
 *       (before a nonce is made), and at once after a nonce refusal; a failed measurement keeps
 *       the old offset and is tried again 30 s later.</li>
 *   <li><b>Exchange status</b>: exchange-info's {@code status} closes the exchange only when it is
 *       present and not NORMAL; no real recorded reply carries it.</li>
 *   <li><b>Fill history</b>: {@code /trade/account/trades}, the 100 most recent trades, no
 *       pagination; a window that may reach past them is VENUE_DOWN. No liquidation history and no
 *       client ids are published.</li>
 *   <li><b>Key proof</b>: a signed cancel of a year-2000 nonce, checked against a control signed
 *       with a random key (see {@code HibachiExchange.proveKeys}).</li>
 * </ul>
 */
package dev.perptrader.exchange.hibachi;
