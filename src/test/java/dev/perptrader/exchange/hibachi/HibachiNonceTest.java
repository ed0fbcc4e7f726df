package dev.perptrader.exchange.hibachi;

import static dev.perptrader.exchange.hibachi.HibachiTestKit.CLOCK;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.FIRST_NONCE;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.testutil.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Client ids are Hibachi nonces: epoch microseconds, strictly increasing per account. */
final class HibachiNonceTest {

    private static HibachiExchange exchange(Clock clock) {
        return new HibachiExchange(
                HibachiExchange.tradingClient(),
                "http://127.0.0.1:1",
                "http://127.0.0.1:1",
                clock,
                FakeSleeper.unpaced(),
                Optional.empty());
    }

    @Test
    void theFirstNonceIsTheClockInMicrosecondsAsADecimalString() {
        assertThat(exchange(CLOCK).newClientId()).isEqualTo(Long.toString(FIRST_NONCE));
    }

    @Test
    void twoCallsInTheSameMicrosecondStillGetIncreasingNonces() {
        HibachiExchange ex = exchange(CLOCK);
        long a = Long.parseLong(ex.newClientId());
        long b = Long.parseLong(ex.newClientId());
        long c = Long.parseLong(ex.newClientId());
        assertThat(List.of(a, b, c)).containsExactly(FIRST_NONCE, FIRST_NONCE + 1, FIRST_NONCE + 2);
    }

    @Test
    void nonceFollowsTheClockWhenItMovesAheadAndNeverGoesBack() {
        MutableClock clock = new MutableClock(NOW);
        HibachiExchange ex = exchange(clock);
        ex.newClientId();
        clock.advance(Duration.ofMillis(5));
        assertThat(Long.parseLong(ex.newClientId())).isEqualTo(FIRST_NONCE + 5_000);
        clock.set(NOW.minusSeconds(10)); // the local clock stepped back
        assertThat(Long.parseLong(ex.newClientId())).isEqualTo(FIRST_NONCE + 5_001);
    }

    @Test
    void noncesStayUniqueAndIncreasingUnderContention() throws Exception {
        for (Clock clock : new Clock[] {CLOCK, Clock.systemUTC()}) {
            HibachiExchange ex = exchange(clock);
            int perThread = 20_000;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<Long>>> futures = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        List<Long> mine = new ArrayList<>(perThread);
                        for (int i = 0; i < perThread; i++) {
                            mine.add(Long.parseLong(ex.newClientId()));
                        }
                        return mine;
                    }));
                }
                start.countDown();
                Set<Long> all = new HashSet<>();
                for (Future<List<Long>> f : futures) {
                    List<Long> mine = f.get(30, TimeUnit.SECONDS);
                    for (int i = 1; i < mine.size(); i++) {
                        assertThat(mine.get(i)).isGreaterThan(mine.get(i - 1));
                    }
                    all.addAll(mine);
                }
                assertThat(all).hasSize(2 * perThread);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void nonceOfAcceptsOnlyPositiveDecimalLongs() {
        assertThat(HibachiExchange.nonceOf("1714701600000000")).contains(FIRST_NONCE);
        assertThat(HibachiExchange.nonceOf(" 42 ")).contains(42L);
        assertThat(HibachiExchange.nonceOf("sim-hb-000001")).isEmpty();
        assertThat(HibachiExchange.nonceOf("-1")).isEmpty();
        assertThat(HibachiExchange.nonceOf("0")).isEmpty();
        assertThat(HibachiExchange.nonceOf("99999999999999999999")).isEmpty();
        assertThat(HibachiExchange.nonceOf(null)).isEmpty();
    }
}
