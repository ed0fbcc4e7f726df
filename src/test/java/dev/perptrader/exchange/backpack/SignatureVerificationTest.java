package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.OrderRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stub-side check is real: it accepts what the client signed and refuses the same request
 * once its body, query or timestamp is changed after signing.
 */
@WireMockTest
final class SignatureVerificationTest {
    private static final String ORDER = "/api/v1/order";
    private static final String FILLS = "/wapi/v1/history/fills";

    private WireMockRuntimeInfo wm;

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));
        stubFor(get(urlPathEqualTo(FILLS)).willReturn(okJson(Kit.fixture("fills_order.json"))));
        Kit.exchange(wm, new RecordingSleeper())
                .placeMarketOrder(
                        new OrderRequest("SOL_USDC_PERP", OrderSide.SELL, new BigDecimal("0.5"), true, "12345"));
    }

    @Test
    void theClientsSignedRequestsVerify() {
        assertThat(SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents()))
                .isEqualTo(2);
    }

    @Test
    void aQuantityChangedAfterSigningFailsVerification() throws IOException {
        LoggedRequest original = only(postRequestedFor(urlPathEqualTo(ORDER)));
        String tampered = original.getBodyAsString().replace("\"quantity\":\"0.5\"", "\"quantity\":\"5\"");
        assertThat(tampered).isNotEqualTo(original.getBodyAsString());

        replay(original, "POST", ORDER, tampered, original.getHeader("X-Timestamp"));

        List<LoggedRequest> posts = wm.getWireMock().find(postRequestedFor(urlPathEqualTo(ORDER)));
        assertThat(posts).hasSize(2);
        assertThat(SignedRequests.verifies(posts.get(0))).isTrue();
        assertThat(SignedRequests.verifies(posts.get(1))).as("tampered body").isFalse();
    }

    @Test
    void aQueryChangedAfterSigningFailsVerification() throws IOException {
        LoggedRequest original = only(getRequestedFor(urlPathEqualTo(FILLS)));
        String url = original.getUrl().replace("limit=100", "limit=1000");
        assertThat(url).isNotEqualTo(original.getUrl());

        replay(original, "GET", url, null, original.getHeader("X-Timestamp"));

        List<LoggedRequest> gets = wm.getWireMock().find(getRequestedFor(urlPathEqualTo(FILLS)));
        assertThat(gets).hasSize(2);
        assertThat(SignedRequests.verifies(gets.get(1))).as("tampered query").isFalse();
    }

    @Test
    void aReplayWithAnotherTimestampFailsVerification() throws IOException {
        LoggedRequest original = only(postRequestedFor(urlPathEqualTo(ORDER)));

        replay(original, "POST", ORDER, original.getBodyAsString(), Long.toString(Kit.NOW_MS + 60_000));

        List<LoggedRequest> posts = wm.getWireMock().find(postRequestedFor(urlPathEqualTo(ORDER)));
        assertThat(SignedRequests.verifies(posts.get(1)))
                .as("new timestamp, old signature")
                .isFalse();
    }

    @Test
    void theRebuiltStringIsTheOneTheClientSigned() {
        LoggedRequest order = only(postRequestedFor(urlPathEqualTo(ORDER)));

        assertThat(SignedRequests.rebuild(order))
                .isEqualTo("instruction=orderExecute&clientId=12345"
                        + "&orderType=Market&quantity=0.5&reduceOnly=true&side=Ask&symbol=SOL_USDC_PERP"
                        + "&timestamp=1750793021519&window=5000");
    }

    private LoggedRequest only(RequestPatternBuilder pattern) {
        List<LoggedRequest> found = wm.getWireMock().find(pattern);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Sends a copy of {@code original}'s auth headers with another body, URL or timestamp. */
    private void replay(LoggedRequest original, String method, String pathAndQuery, String body, String timestamp)
            throws IOException {
        Request.Builder b = new Request.Builder()
                .url(wm.getHttpBaseUrl() + pathAndQuery)
                .header("X-API-Key", original.getHeader("X-API-Key"))
                .header("X-Signature", original.getHeader("X-Signature"))
                .header("X-Timestamp", timestamp)
                .header("X-Window", original.getHeader("X-Window"));
        b.method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json")));
        try (Response r = new OkHttpClient().newCall(b.build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
    }
}
