package dev.perptrader.testutil;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WireMock transformer that holds the reply to each of two paths until the other path's request
 * has arrived (at most 5 s). Both {@link #eachSawTheOther()} only when a client had the two
 * requests in flight together; asked one after the other, the first waits out the 5 s alone.
 * Use one instance per test class run (its latches fire once).
 */
public final class HeldUntilBothArrive implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "held-until-both-arrive";

    private final String first;
    private final String second;
    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private final CountDownLatch secondArrived = new CountDownLatch(1);
    private final AtomicBoolean firstSawSecond = new AtomicBoolean();
    private final AtomicBoolean secondSawFirst = new AtomicBoolean();

    /** Holds requests whose URL starts with {@code first} or {@code second}. */
    public HeldUntilBothArrive(String first, String second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String url = event.getRequest().getUrl();
        try {
            if (url.startsWith(first)) {
                firstArrived.countDown();
                firstSawSecond.set(secondArrived.await(5, TimeUnit.SECONDS));
            } else if (url.startsWith(second)) {
                secondArrived.countDown();
                secondSawFirst.set(firstArrived.await(5, TimeUnit.SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return event.getResponseDefinition();
    }

    /** Whether each request arrived while the other's reply was held. */
    public boolean eachSawTheOther() {
        return firstSawSecond.get() && secondSawFirst.get();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
