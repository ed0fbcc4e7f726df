package dev.perptrader.exchange.hibachi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.Pacer;
import dev.perptrader.exchange.Sleeper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pacing, the fee cap and thread safety of the signers. */
final class HibachiSupportTest {

    @Test
    void pacerWaitsThroughTheSleeper() throws InterruptedException {
        List<Duration> waits = new ArrayList<>();
        Sleeper frozen = new Sleeper() {
            @Override
            public void sleep(Duration d) {
                waits.add(d);
            }

            @Override
            public long nanoTime() {
                return 0;
            }
        };
        Pacer pacer = Pacer.monotonic(frozen, 5, 2);
        pacer.acquire();
        pacer.acquire();
        pacer.acquire();
        assertThat(waits).containsExactly(Duration.ofMillis(200));
        assertThatThrownBy(() -> Pacer.monotonic(frozen, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxFeesIsAtLeastATenthOfAPercentOrTwiceTheTakerFeeWithEightDecimalsAtMost() {
        assertThat(HibachiExchange.maxFeesPercent(new BigDecimal("0.00045"))).isEqualByComparingTo("0.001");
        assertThat(HibachiExchange.maxFeesPercent(null)).isEqualByComparingTo("0.001");
        assertThat(HibachiExchange.maxFeesPercent(new BigDecimal("0.0007"))).isEqualByComparingTo("0.0014");
        assertThat(HibachiExchange.maxFeesPercent(new BigDecimal("0.000600005")).toPlainString())
                .isEqualTo("0.00120001");
    }

    @Test
    void signersGiveTheSameAnswerFromManyThreads() throws Exception {
        byte[] payload = HibachiPayloads.marketOrder(
                1714701600000000L, 2, new BigDecimal("0.001"), 10, OrderSide.BUY, new BigDecimal("0.00045"));
        HibachiSigner hmac = HibachiSigner.Hmac.of(HibachiVectorsTest.HMAC_SECRET);
        HibachiSigner ecdsa = HibachiSigner.Ecdsa.fromHex(HibachiVectorsTest.PRIVATE_KEY);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                HibachiSigner s = i % 2 == 0 ? hmac : ecdsa;
                results.add(pool.submit(() -> s.sign(payload)));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : results) {
                distinct.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct)
                    .containsExactlyInAnyOrder(
                            "3abe22d488bc41ee2b7df45d1380ad0f722091e337933c4a248812b28581a586",
                            "4370334d0286d0948187ba2e5da0085839a4d163e4781754f3cad9ebd16625ad"
                                    + "3b71361b44d3d5cbcab64fba30cf52714d4f41ae636404f0eff6b6eaa068825e00");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ecdsaSignaturesAreLowSWithARecoveryIdThatRecoversTheKey() {
        HibachiSigner.Ecdsa ecdsa = HibachiSigner.Ecdsa.fromHex(HibachiVectorsTest.PRIVATE_KEY);
        BigDecimal fee = new BigDecimal("0.001");
        Set<Integer> recoveryIds = new HashSet<>();
        for (long nonce = 1714701600000000L; nonce < 1714701600000064L; nonce++) {
            byte[] payload = HibachiPayloads.marketOrder(nonce, 1, new BigDecimal("0.5"), 9, OrderSide.SELL, fee);
            String sig = ecdsa.sign(payload);
            assertThat(sig).hasSize(130);
            recoveryIds.add(Integer.parseInt(sig.substring(128), 16));
            var body = HibachiTestKit.json("{\"accountId\":1,\"symbol\":\"ETH/USDT-P\",\"nonce\":" + nonce
                    + ",\"orderType\":\"MARKET\",\"side\":\"ASK\",\"quantity\":\"0.5\",\"maxFeesPercent\":\"0.001\","
                    + "\"signature\":\"" + sig + "\"}");
            assertThat(HibachiTestKit.ecdsaVerifies(body, HibachiVectorsTest.PRIVATE_KEY))
                    .isTrue();
        }
        assertThat(recoveryIds).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void signersNeverShowTheirKeys() {
        assertThat(HibachiSigner.Hmac.of(HibachiVectorsTest.HMAC_SECRET).toString())
                .doesNotContain(HibachiVectorsTest.HMAC_SECRET)
                .contains("****");
        assertThat(HibachiSigner.Ecdsa.fromHex(HibachiVectorsTest.PRIVATE_KEY).toString())
                .doesNotContain("1111111111")
                .contains("****");
    }
}
