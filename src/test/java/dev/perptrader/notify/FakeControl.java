package dev.perptrader.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Records every call; answers with fixed texts. */
final class FakeControl implements OwnerControl {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<String>> closeAlls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String status(Instant now) {
        calls.add("status");
        return "opening: allowed\nno open pairs";
    }

    @Override
    public String history(int n) {
        calls.add("history " + n);
        return "history of " + n;
    }

    @Override
    public String pause(String cause, Instant now) {
        calls.add("pause: " + cause);
        return "opening paused";
    }

    @Override
    public String resume(Instant now) {
        calls.add("resume");
        return "opening resumed";
    }

    @Override
    public CompletableFuture<String> closeAll(String reason) {
        calls.add("closeAll: " + reason);
        CompletableFuture<String> f = new CompletableFuture<>();
        closeAlls.add(f);
        return f;
    }
}
