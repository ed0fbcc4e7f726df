package dev.perptrader.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** What one in-process run of the command line printed and returned. */
record CliResult(int code, String out, String err) {
    /** Runs {@code perp-trader args...} in this JVM, as {@code Main} would, capturing its output. */
    static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }
}
