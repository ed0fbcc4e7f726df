package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.API_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.HMAC_SECRET;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.PRIVATE_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.json;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
import dev.perptrader.exchange.KeyProof;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key proof: a signed cancel of a nonce no order can have, checked by a venue stub that
 * verifies the cancel's 8-byte payload signature (HMAC or ECDSA) before it looks the order up,
 * answered against a control signed with a random key.
 */
@WireMockTest
final class HibachiKeyProofTest {
    private static final String ORDER = "/trade/order";
    private static final String NOT_FOUND =
            "{\"errorCode\":3,\"message\":\"Not found: order nonce\",\"status\":\"failed\"}";
    private static final String BAD_SIGNATURE =
            "{\"errorCode\":2,\"message\":\"Invalid signature: Failed to verify signature\",\"status\":\"failed\"}";
    /** 2001-01-01T00:00:00Z in epoch microseconds: every probe nonce is before it. */
    private static final long YEAR_2001_MICROS =
            Instant.parse("2001-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;

    @BeforeEach
    void venue() {
        stubMarketBasics();
    }

    /** The venue checks the signature first: a verified cancel is looked up (not found), any other refused. */
    private static void venueChecksSignaturesFirst(Predicate<JsonNode> verifies) {
        stubFor(delete(urlPathEqualTo(ORDER))
                .atPriority(1)
                .andMatching(r -> MatchResult.of(verifies.test(json(r.getBodyAsString()))))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody(NOT_FOUND)));
        stubFor(delete(urlPathEqualTo(ORDER))
                .atPriority(2)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(BAD_SIGNATURE)));
    }

    private static List<JsonNode> probes() {
        return findAll(deleteRequestedFor(urlPathEqualTo(ORDER))).stream()
                .map(LoggedRequest::getBodyAsString)
                .map(HibachiTestKit::json)
                .toList();
    }

    private static void onlyCancelsOfImpossibleNonces() {
        assertThat(findAll(anyRequestedFor(anyUrl())))
                .allSatisfy(r -> assertThat(r.getMethod().getName()).isIn("GET", "DELETE"));
        assertThat(probes()).allSatisfy(body -> {
            assertThat(body.get("accountId").asLong()).isEqualTo(HibachiTestKit.ACCOUNT_ID);
            assertThat(body.has("orderId")).isFalse();
            long nonce = Long.parseLong(body.get("nonce").asText());
            assertThat(nonce)
                    .as("a nonce from the year 2000")
                    .isBetween(HibachiExchange.PROBE_NONCE_BASE, YEAR_2001_MICROS);
        });
        verify(anyRequestedFor(urlPathEqualTo(ORDER)).withHeader("Authorization", equalTo(API_KEY)));
    }

    @Test
    void anHmacKeyIsProvenWhenTheVenueLooksOurCancelUpButRefusesTheControl(WireMockRuntimeInfo wm) {
        venueChecksSignaturesFirst(body -> HibachiTestKit.hmacVerifiesCancel(body, HMAC_SECRET));

        KeyProof proof = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced()).proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
        List<JsonNode> probes = probes();
        assertThat(probes).hasSize(2);
        assertThat(HibachiTestKit.hmacVerifiesCancel(probes.get(0), HMAC_SECRET))
                .as("ours")
                .isTrue();
        assertThat(HibachiTestKit.hmacVerifiesCancel(probes.get(1), HMAC_SECRET))
                .as("the control")
                .isFalse();
        assertThat(probes.get(1).get("signature").asText()).as("same shape").hasSize(64);
        assertThat(probes.get(1).get("nonce")).isEqualTo(probes.get(0).get("nonce"));
        onlyCancelsOfImpossibleNonces();
    }

    @Test
    void anEcdsaKeyIsProvenTheSameWay(WireMockRuntimeInfo wm) {
        venueChecksSignaturesFirst(body -> HibachiTestKit.ecdsaVerifiesCancel(body, PRIVATE_KEY));
        HibachiExchange ex = HibachiTestKit.exchange(
                wm,
                HibachiTestKit.ecdsaCredentials(wm.getHttpBaseUrl()),
                FakeSleeper.unpaced(),
                HibachiExchange.tradingClient());

        KeyProof proof = ex.proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
        List<JsonNode> probes = probes();
        assertThat(HibachiTestKit.ecdsaVerifiesCancel(probes.get(0), PRIVATE_KEY))
                .isTrue();
        assertThat(probes.get(1).get("signature").asText())
                .as("65 bytes, another key")
                .hasSize(130);
        assertThat(HibachiTestKit.ecdsaVerifiesCancel(probes.get(1), PRIVATE_KEY))
                .isFalse();
        onlyCancelsOfImpossibleNonces();
    }

    @Test
    void aKeyTheVenueRefusesIsWrongAndNeedsNoControl(WireMockRuntimeInfo wm) {
        venueChecksSignaturesFirst(body -> HibachiTestKit.hmacVerifiesCancel(body, HMAC_SECRET));
        AppConfig.ExchangeCredentials other = new AppConfig.ExchangeCredentials(
                Map.of("account_id", "1234", "api_url", wm.getHttpBaseUrl(), "data_url", wm.getHttpBaseUrl()),
                Map.of(
                        "api_key",
                        Secret.of(API_KEY),
                        "api_secret",
                        Secret.of("b3RoZXItaG1hYy1zZWNyZXQtbm90LXRoZS12ZW51ZXMh")),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5));

        KeyProof proof = HibachiTestKit.exchange(wm, other, FakeSleeper.unpaced(), HibachiExchange.tradingClient())
                .proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(proof.detail())
                .contains("Invalid signature")
                .doesNotContain(HMAC_SECRET)
                .doesNotContain(API_KEY);
        assertThat(probes()).hasSize(1);
        onlyCancelsOfImpossibleNonces();
    }

    @Test
    void aMacErrorIsAWrongKeyToo(WireMockRuntimeInfo wm) {
        stubFor(delete(urlPathEqualTo(ORDER))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(HibachiTestKit.fixture("error-mac.json"))));

        KeyProof proof = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced()).proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(proof.detail()).contains("MacError");
    }

    @Test
    void aVenueThatLooksOrdersUpBeforeCheckingSignaturesProvesNothing(WireMockRuntimeInfo wm) {
        stubFor(delete(urlPathEqualTo(ORDER))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody(NOT_FOUND)));

        KeyProof proof = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced()).proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(proof.detail()).contains("randomly signed cancel").contains("NOT_FOUND");
        List<JsonNode> probes = probes();
        assertThat(probes).hasSize(2);
        assertThat(HibachiTestKit.hmacVerifiesCancel(probes.get(0), HMAC_SECRET))
                .isTrue();
        onlyCancelsOfImpossibleNonces();
    }

    @Test
    void anyOtherAnswerProvesNothingAndIsReported(WireMockRuntimeInfo wm) {
        stubFor(delete(urlPathEqualTo(ORDER)).willReturn(okJson("{}")));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());

        KeyProof accepted = ex.proveKeys();

        assertThat(accepted.verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(accepted.detail()).contains("HTTP 2xx {}");
        stubFor(delete(urlPathEqualTo(ORDER)).willReturn(serviceUnavailable()));
        KeyProof down = ex.proveKeys();
        assertThat(down.verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(down.detail()).contains("MAINTENANCE").contains("HTTP 503");
        assertThat(probes()).as("sent once each, never retried").hasSize(2);
    }

    @Test
    void anUnreachableVenueOrNoKeysProveNothing() {
        HibachiExchange paper = HibachiExchange.publicOnly("http://127.0.0.1:1", HibachiTestKit.CLOCK);
        assertThat(paper.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(paper.proveKeys().detail()).contains("no API keys");

        HibachiExchange unreachable =
                HibachiTestKit.exchangeAt("http://127.0.0.1:1", HibachiTestKit.hmacCredentials("http://127.0.0.1:1"));
        KeyProof proof = unreachable.proveKeys();
        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(proof.detail()).contains("not sent");
    }
}
