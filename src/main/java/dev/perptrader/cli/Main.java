package dev.perptrader.cli;

import dev.perptrader.config.ConfigError;
import dev.perptrader.store.InstanceLock;
import dev.perptrader.store.StoreException;
import dev.perptrader.store.UnusableDatabase;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
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
        description = "Delta-neutral points farmer: a LONG on one perp venue, an equal SHORT on another.")
public final class Main implements Runnable {
    /** Every command, in the order help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(
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
            CommandLine.HelpCommand.class);

    /** Commands that speak of the others (help, completion): their command line holds every command. */
    private static final Set<Class<?>> ABOUT_ALL = Set.of(CompletionCommand.class, CommandLine.HelpCommand.class);

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
        return commandLine(args).execute(args);
    }

    /**
     * The command line that runs {@code args}. picocli builds each command's model by reflection
     * over its annotations, about 0.4 s for all of them: a line that begins with a command's name
     * gets that command only. Any other line (help, completion, an option, no command, a name no
     * command has) gets every command, so help, completion and picocli's messages speak of them
     * all.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args.length == 0 ? null : named(args[0]);
        for (Class<?> command : only == null ? COMMANDS : List.of(only)) {
            cl.addSubcommand(command);
        }
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

    /** The command named {@code name}, unless it is one that speaks of the others; null if none. */
    private static Class<?> named(String name) {
        for (Class<?> command : COMMANDS) {
            if (!ABOUT_ALL.contains(command)
                    && command.getAnnotation(Command.class).name().equals(name)) {
                return command;
            }
        }
        return null;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
