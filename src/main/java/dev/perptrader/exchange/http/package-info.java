/**
 * The transport every venue client shares: the call timeouts and the OkHttp client built from
 * them ({@link dev.perptrader.exchange.http.HttpSettings}), pacing, the retry of safe reads only
 * ({@link dev.perptrader.exchange.http.Transport#read}: writes go out exactly once), and one
 * typed form of a failed attempt ({@link dev.perptrader.exchange.http.Failure}) that each venue's
 * reply reader produces from what its venue answered. A venue package holds its client, signer,
 * mapper and DTOs, and a {@link dev.perptrader.exchange.http.Transport.Reader} for its replies.
 */
package dev.perptrader.exchange.http;
