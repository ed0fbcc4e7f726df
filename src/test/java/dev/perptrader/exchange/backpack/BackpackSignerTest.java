package dev.perptrader.exchange.backpack;

import static dev.perptrader.exchange.backpack.Kit.NOW_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Known answers: the five §2 vectors bit for bit, and the public key from the seed. */
final class BackpackSignerTest {
    private static final byte[] SEED = Base64.getDecoder().decode(Kit.SEED);

    @Test
    void derivesTheDocumentedPublicKeyFromTheSeed() {
        assertThat(BackpackSigner.publicKey(SEED)).isEqualTo("iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=");
    }

    @Test
    void vector1OrderExecuteWithABody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", "SOL_USDC_PERP");
        body.put("side", "Ask");
        body.put("orderType", "Market");
        body.put("quantity", "0.5");
        body.put("reduceOnly", true);
        body.put("clientId", 12345L);

        assertVector(
                "orderExecute",
                body,
                "instruction=orderExecute&clientId=12345&orderType=Market&quantity=0.5&reduceOnly=true&side=Ask"
                        + "&symbol=SOL_USDC_PERP&timestamp=1750793021519&window=5000",
                "ZDTSVxeEj85MY8bT9nd+PkdG8Q8217y8wQMsVjhzoIMyzhu2gT1DhI+MJyMFddEtaBcqOWKeelulPWe4Kx9XAQ==");
    }

    @Test
    void vector2GetWithQueryParams() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("symbol", "SOL_USDC_PERP");
        query.put("orderId", "59669287267");
        query.put("limit", 100);

        assertVector(
                "fillHistoryQueryAll",
                query,
                "instruction=fillHistoryQueryAll&limit=100&orderId=59669287267&symbol=SOL_USDC_PERP"
                        + "&timestamp=1750793021519&window=5000",
                "T1481yDZZy8j38uQP46gcMSyt6vQbByyRIuhmDQjgOQGzXtwyey6QbubX20Ai6rL+Xx7beTpCSprdxZryFCXDw==");
    }

    @Test
    void vector3GetWithoutParams() {
        assertVector(
                "collateralQuery",
                Map.of(),
                "instruction=collateralQuery&timestamp=1750793021519&window=5000",
                "0y0y1Tz55l1+ZrpPbuM+erUXbZME/GAdqv3plVwPss33JPO5QeBbxMOHO56xSZIhw+L1VofXcKPgLkkvddSUCw==");
    }

    @Test
    void vector4Patch() {
        assertVector(
                "accountUpdate",
                Map.of("leverageLimit", "5"),
                "instruction=accountUpdate&leverageLimit=5&timestamp=1750793021519&window=5000",
                "ENvrM12YImGIZE2s73WAKS8oH6oGPp+ouLvmYcQmqAuvvUxoN8QK+0dBDiRQtjtpCycAdwwM3YprAzpRgrBNAA==");
    }

    @Test
    void vector5DeleteWithABody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", "SOL_USDC_PERP");
        body.put("orderId", "59669287267");

        assertVector(
                "orderCancel",
                body,
                "instruction=orderCancel&orderId=59669287267&symbol=SOL_USDC_PERP&timestamp=1750793021519&window=5000",
                "EvijWgdeCzL0+g34NVKdEbHxROOoS8z4yD0iPONvA2EHkmuM/pxz70vfA2JHjac5GojBfXmCvaWsSn4J7oqRAA==");
    }

    @Test
    void reproducesTheDocsOwnCancelExample() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", "BTC_USDT");
        body.put("orderId", 28);

        assertThat(BackpackSigner.signingString("orderCancel", body, 1614550000000L, 5000))
                .isEqualTo("instruction=orderCancel&orderId=28&symbol=BTC_USDT&timestamp=1614550000000&window=5000");
    }

    @Test
    void writesBooleansLowercaseAndSortsKeysByCodePoint() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("reduceOnly", false);
        params.put("postOnly", true);
        params.put("Zeta", "upper-case sorts first");
        params.put("clientId", 4294967295L);

        assertThat(BackpackSigner.signingString("x", params, 1, 60000))
                .isEqualTo(
                        "instruction=x&Zeta=upper-case sorts first&clientId=4294967295&postOnly=true&reduceOnly=false"
                                + "&timestamp=1&window=60000");
    }

    @Test
    void refusesNullsAndDecimalsThatAreNotTheSentText() {
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("price", null);
        assertThatThrownBy(() -> BackpackSigner.signingString("orderExecute", withNull, NOW_MS, 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("omit");
        assertThatThrownBy(() -> BackpackSigner.signingString(
                        "orderExecute", Map.of("quantity", new BigDecimal("1E+1")), NOW_MS, 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain strings");
        assertThatThrownBy(() -> BackpackSigner.signingString(" ", Map.of(), NOW_MS, 5000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesASeedThatIsNot32Bytes() {
        assertThatThrownBy(() -> BackpackSigner.sign(new byte[64], "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64");
    }

    @Test
    void signsConcurrentlyWithoutSharedState() throws Exception {
        String message = "instruction=collateralQuery&timestamp=1750793021519&window=5000";
        Set<String> signatures = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    for (int j = 0; j < 200; j++) {
                        signatures.add(BackpackSigner.sign(SEED, message));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(signatures)
                .containsExactly(
                        "0y0y1Tz55l1+ZrpPbuM+erUXbZME/GAdqv3plVwPss33JPO5QeBbxMOHO56xSZIhw+L1VofXcKPgLkkvddSUCw==");
    }

    private static void assertVector(
            String instruction, Map<String, ?> params, String expectedString, String expectedSignature) {
        String signing = BackpackSigner.signingString(instruction, params, NOW_MS, 5000);
        assertThat(signing).isEqualTo(expectedString);
        assertThat(BackpackSigner.sign(SEED, signing)).isEqualTo(expectedSignature);
        assertThat(SignedRequests.verifies(signing, expectedSignature)).isTrue();
    }
}
