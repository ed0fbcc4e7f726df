package dev.perptrader.cli;

import dev.perptrader.config.ConfigError;
import dev.perptrader.store.InstanceLock;
import dev.perptrader.store.StoreException;
import dev.perptrader.store.UnusableDatabase;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * perp-trader's entry point: {@code run | status | history | alerts | report | check | close-all |
 * recover | resume | bench | record | simulate | completion | help}.
 */
@Command(
        name = "perp-trader",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Delta-neutral points farmer: a LONG on one perp venue, an equal SHORT on another.",
        subcommands = {
            RunCommand.class,
            StatusCommand.class,
            HistoryCommand.class,
            AlertsCommand.class,
            ReportCommand.class,
            CheckCommand.class,
            CloseAllCommand.class,
            RecoverCommand.class,
            ResumeCommand.class,
            BenchCommand.class,
            RecordCommand.class,
            SimulateCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /**
     * Exit code for a request refused before anything traded: bad flags, arguments or
     * configuration, a database of another mode or one the bot cannot use, readable secrets in
     * live mode, another bot on the database.
     */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        GracefulExit.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // every command's --version prints the one version, not only the top command's
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
        cl.setParameterExceptionHandler((ex, argv) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("perp-trader: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            if (ex instanceof ConfigError) {
                err.println("config error: " + ex.getMessage());
                code = USAGE;
            } else if (ex instanceof UsageError
                    || ex instanceof InstanceLock.AlreadyRunning
                    || ex instanceof UnusableDatabase) {
                err.println("perp-trader: " + ex.getMessage());
                code = USAGE;
            } else if (ex instanceof StoreException) {
                err.println("database error: " + ex.getMessage());
                code = 1;
            } else {
                err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
                code = 1;
            }
            err.flush();
            return code;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
