package dev.perptrader.exchange.http;

import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.Pacer;
import dev.perptrader.exchange.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One venue's calls: paced, bounded by {@link HttpSettings}, each reply read by the venue's
 * {@link Reader} into a value or a {@link Failure}. Safe reads are retried ({@link #read}) with
 * exponential backoff and jitter or the venue's Retry-After; writes are sent exactly once
 * ({@link #once}). Thread-safe.
 */
public final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** How a venue reads what came back from one attempt. */
    public interface Reader<T> {
        /** Any HTTP reply, 2xx or not: its value, or the failure it says. */
        Attempt<T> reply(Response response, String body);

        /** The request never got a reply (refused, reset, timed out). */
        Failure io(IOException e);
    }

    /** What one attempt gave: a value or a failure. */
    public sealed interface Attempt<T> {
        static <T> Attempt<T> ok(T value) {
            return new Ok<>(value);
        }

        static <T> Attempt<T> failed(Failure failure) {
            return new Failed<>(failure);
        }
    }

    public record Ok<T>(T value) implements Attempt<T> {}

    public record Failed<T>(Failure failure) implements Attempt<T> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }

    private final Venue venue;
    private final OkHttpClient client;
    private final HttpSettings settings;
    private final Pacer pacer;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;

    /**
     * @param jitter a number in [0, 1) per backoff: the share of half the backoff added to it
     */
    public Transport(
            Venue venue,
            OkHttpClient client,
            HttpSettings settings,
            Pacer pacer,
            Sleeper sleeper,
            DoubleSupplier jitter) {
        this.venue = Objects.requireNonNull(venue, "venue");
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /** With a uniform random jitter. */
    public Transport(Venue venue, OkHttpClient client, HttpSettings settings, Pacer pacer, Sleeper sleeper) {
        this(
                venue,
                client,
                settings,
                pacer,
                sleeper,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    public Venue venue() {
        return venue;
    }

    public HttpSettings settings() {
        return settings;
    }

    /** One attempt, paced; never throws for venue trouble. */
    public <T> Attempt<T> once(Request request, Reader<T> reader) {
        try {
            pacer.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failed(
                    Failure.interrupted(request.method() + " " + request.url().encodedPath()));
        }
        try (Response response = client.newCall(request).execute()) {
            ResponseBody rb = response.body();
            String body = rb == null ? "" : rb.string();
            return reader.reply(response, body);
        } catch (IOException e) {
            return Attempt.failed(reader.io(e));
        }
    }

    /** One attempt, its failure thrown: a write, sent exactly once. */
    public <T> T send(Request request, Reader<T> reader) {
        return send(request, reader, false, f -> {}).orElseThrow();
    }

    /**
     * One attempt, sent exactly once: empty when the venue says not found and
     * {@code notFoundIsEmpty}; any other failure is shown to {@code onFailure} (a venue may
     * measure its clock again there) and thrown.
     */
    public <T> Optional<T> send(
            Request request, Reader<T> reader, boolean notFoundIsEmpty, Consumer<Failure> onFailure) {
        Attempt<T> a = once(request, reader);
        if (a instanceof Ok<T> ok) {
            return Optional.of(ok.value());
        }
        Failure f = ((Failed<T>) a).failure();
        if (f.notFound() && notFoundIsEmpty) {
            return Optional.empty();
        }
        onFailure.accept(f);
        throw f.toException(venue);
    }

    /**
     * A safe read: tried up to {@link HttpSettings#readAttempts} times while its failure is
     * {@link Failure#retryable}, waiting the venue's Retry-After or the backoff between tries (a
     * wait beyond {@link HttpSettings#maxRetryWait} is not waited: the failure is thrown). Empty
     * when the venue says not found and {@code notFoundIsEmpty}. {@code retryAtOnce} sees every
     * failure first (a venue may resynchronise its clock there); when it answers true the read is
     * tried again at once, one time per call.
     *
     * @param request builds each attempt afresh (a signed read signs again)
     */
    public <T> Optional<T> read(
            String what,
            Supplier<Request> request,
            Reader<T> reader,
            boolean notFoundIsEmpty,
            Predicate<Failure> retryAtOnce) {
        return read(what, request, reader, settings.readAttempts(), notFoundIsEmpty, retryAtOnce);
    }

    /** As above, tried at most {@code attempts} times (1: once, as a clock measurement that must not wait). */
    public <T> Optional<T> read(
            String what,
            Supplier<Request> request,
            Reader<T> reader,
            int attempts,
            boolean notFoundIsEmpty,
            Predicate<Failure> retryAtOnce) {
        boolean triedAgainAtOnce = false;
        for (int attempt = 1; ; ) {
            Attempt<T> a = once(request.get(), reader);
            if (a instanceof Ok<T> ok) {
                return Optional.of(ok.value());
            }
            Failure f = ((Failed<T>) a).failure();
            if (f.notFound() && notFoundIsEmpty) {
                return Optional.empty();
            }
            if (retryAtOnce.test(f) && !triedAgainAtOnce) {
                triedAgainAtOnce = true;
                LOG.info("{} {}: {}; trying once more", venue.configName(), what, f.message());
                continue;
            }
            if (!f.retryable() || attempt >= attempts) {
                throw f.toException(venue);
            }
            Duration wait = f.retryAfter() != null ? f.retryAfter() : backoff(attempt);
            if (wait.compareTo(settings.maxRetryWait()) > 0) {
                throw f.toException(venue);
            }
            LOG.info(
                    "{} {} failed ({}); retry {} of {} in {} ms",
                    venue.configName(),
                    what,
                    f.message(),
                    attempt,
                    attempts - 1,
                    wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failure.interrupted(what).toException(venue);
            }
            attempt++;
        }
    }

    /** A safe read that must answer (no not-found, no retry at once). */
    public <T> T read(String what, Supplier<Request> request, Reader<T> reader) {
        return read(what, request, reader, false, f -> false).orElseThrow();
    }

    /**
     * The wait before retry {@code attempt} (from 1): base × 2^(attempt−1), at most
     * {@link HttpSettings#backoffMax}, plus a jitter of up to half of that.
     */
    Duration backoff(int attempt) {
        long base = settings.backoffBase().toMillis() << Math.min(attempt - 1, 16);
        base = Math.min(base, settings.backoffMax().toMillis());
        long extra = (long) (base * 0.5 * jitter.getAsDouble());
        return Duration.ofMillis(base + extra);
    }

    @Override
    public String toString() {
        return "Transport[" + venue.configName() + "]";
    }
}
