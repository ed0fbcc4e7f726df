package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code resume}: lifts a pause on opening (OPENING_PAUSED). Works while {@code run} is active:
 * the pause is a row in the database, which the running bot reads every step. A cause that
 * persists pauses opening again at its next failure.
 */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = "Lift a pause on opening new pairs (OPENING_PAUSED); works while 'run' is active.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    ResumeCommand() {
        this(Clock.systemUTC());
    }

    ResumeCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        AppConfig cfg = choice.load(config);
        Book book = choice.open(choice.locate(cfg), cfg);
        Store store = book.store();
        store.checkWritable();
        PrintWriter out = spec.commandLine().getOut();
        out.println(book.describe());
        Optional<Store.Pause> lifted = store.resumeOpening(clock.instant());
        if (lifted.isPresent()) {
            out.println("opening resumed; it was paused since "
                    + Stores.time(lifted.get().pausedAt()) + ": " + lifted.get().cause());
            out.println("if the cause persists, the next failure pauses opening again");
        } else {
            out.println("opening was not paused; nothing to resume");
        }
        out.flush();
        return 0;
    }
}
