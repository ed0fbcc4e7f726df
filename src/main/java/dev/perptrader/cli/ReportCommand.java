package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.CollateralStats;
import dev.perptrader.domain.CostSummary;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairCost;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.files.PrivateFiles;
import dev.perptrader.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code report}: what the book's ended pairs cost, as one self-contained HTML file with charts.
 * Reads the database read-only, beside a running bot if need be; the file is written 0600 (it
 * holds money figures) in one step, so a reader never sees half of it.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Writes one self-contained HTML file (no network, no scripts): volume, fees, slippage,"
                + " funding, net cost per $1M and per point, drawdown and collateral, with charts.")
final class ReportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            defaultValue = "report.html",
            description = "the HTML file to write (default report.html), replaced if it exists; readable by you only")
    Path out;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    ReportCommand() {
        this(Clock.systemUTC());
    }

    ReportCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (Files.isDirectory(out)) {
            throw new UsageError("--out " + out + " is a folder: name a file, e.g. " + out.resolve("report.html"));
        }
        AppConfig cfg = choice.load(config);
        Book book = choice.read(choice.locate(cfg), cfg);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(book.describe());
        String html;
        CostSummary summary;
        try (Store store = book.store()) {
            List<PairCost> costs = CostReader.pairCosts(store).stream()
                    .sorted(CostSummary.ENDED_ORDER)
                    .toList();
            summary = CostSummary.of(costs);
            CollateralStats.Builder stats = new CollateralStats.Builder();
            ReportCharts.Ratios ratios = new ReportCharts.Ratios();
            store.eachCollateralRatio(r -> {
                if (stats.add(r)) {
                    ratios.add(r);
                }
            });
            int active = store.pairs(PairStatus.active()).size();
            html = ReportHtml.page(
                    book.describe(), clock.instant(), summary, stats.build(), active, charts(costs, summary, ratios));
        }
        write(html);
        stdout.println("report written to " + out.toAbsolutePath() + ": " + summary.pairs() + " ended pairs"
                + summary.costPer1m()
                        .map(c -> ", net cost " + Money.usd(summary.netCost()) + " USD, "
                                + c.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " USD per $1M volume")
                        .orElse(""));
        stdout.flush();
        return 0;
    }

    private static List<ReportCharts.Chart> charts(
            List<PairCost> costs, CostSummary summary, ReportCharts.Ratios ratios) {
        // drawn off-screen: never look for a display, whatever DISPLAY says
        System.setProperty("java.awt.headless", "true");
        List<ReportCharts.Chart> charts = new ArrayList<>();
        if (!costs.isEmpty()) {
            charts.add(ReportCharts.cumulative(costs));
            charts.add(ReportCharts.feesVersusFunding(summary));
            charts.add(ReportCharts.netPnlHistogram(costs));
        }
        if (!ratios.isEmpty()) {
            charts.add(ReportCharts.collateral(ratios));
        }
        return charts;
    }

    private void write(String html) {
        try {
            PrivateFiles.replace(out, html.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UsageError("cannot write the report to " + out.toAbsolutePath() + ": " + why(e));
        }
    }

    /** Why a file could not be written, in a few words. */
    private static String why(IOException e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a folder";
        }
        if (e instanceof NotDirectoryException f) {
            return f.getFile() + " is not a folder";
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied on " + f.getFile();
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or folder " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
