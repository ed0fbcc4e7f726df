package dev.perptrader.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * What a bench run measured. Times are milliseconds; a figure with no sample is NaN (null in
 * JSON). {@link #toJson()} writes the same figures under the keys the README documents.
 *
 * @param openPairs    the pairs opened through the trader
 * @param legSkew      |arrival of the LONG order − arrival of the SHORT order| per pair
 * @param rollbacks    one entry per venue that refused a leg (Hibachi first), when there were rollbacks
 * @param random       what the venues' random refusals ({@code --reject-rate}) caused
 * @param ticks        one entry per number of open pairs the monitor was measured at
 * @param fewMarkets   the monitor measured again by a second trader whose venues list only as many
 *                     markets as open pairs (none when the run itself has that few)
 * @param alerts       alerts raised during the run, by kind
 */
public record BenchReport(
        Settings settings,
        Load load,
        Open openPairs,
        Stats legSkew,
        List<Rollback> rollbacks,
        RandomRejections random,
        List<Tick> ticks,
        List<Tick> fewMarkets,
        Memory memory,
        Map<String, Integer> alerts) {

    public BenchReport {
        rollbacks = List.copyOf(rollbacks);
        ticks = List.copyOf(ticks);
        fewMarkets = List.copyOf(fewMarkets);
        alerts = Map.copyOf(alerts);
    }

    /** This report with {@code fewMarkets} measured and the load average read again after them. */
    BenchReport withFewMarkets(List<Tick> measured, double loadAfter) {
        return new BenchReport(
                settings,
                new Load(load.before(), loadAfter),
                openPairs,
                legSkew,
                rollbacks,
                random,
                ticks,
                measured,
                memory,
                alerts);
    }

    /**
     * The run's settings.
     *
     * @param monitorIntervalMs the monitor interval the trader was configured with
     * @param seededPairs       pairs booked directly (store and venue books) to reach the larger
     *                          tick points, not opened through the trader
     * @param markets           markets the local venues list and the trader is configured with
     * @param rejectRate        the share of opening orders each venue refused at random
     * @param hibachiSigning    {@code hmac} or {@code ecdsa}: how the Hibachi account signed
     */
    public record Settings(
            int pairs,
            int maxOpen,
            long rttBackpackMs,
            long rttHibachiMs,
            int rollbacks,
            int ticks,
            long seed,
            long monitorIntervalMs,
            int seededPairs,
            int cpus,
            int markets,
            double rejectRate,
            String hibachiSigning) {}

    /** The 1-minute load average before and after the run (NaN where /proc/loadavg is missing). */
    public record Load(double before, double after) {}

    /**
     * Pair open: {@code atVenues} = first order request arrives → last reply before the pair is
     * OPEN; {@code untilOpen} = first order arrives → the {@code opened_at} the trader records.
     * {@code requestsBackpack}/{@code requestsHibachi}: each venue's requests in that span
     * (median).
     */
    public record Open(
            Stats atVenues, Stats untilOpen, double physicalLimitMs, double requestsBackpack, double requestsHibachi) {}

    /**
     * After {@code refused} refused one leg: {@code nakedWindow} = the reply that told the other
     * venue's (good) order filled (Backpack's order reply; Hibachi's status read) → the rollback
     * order arrives; {@code afterRejection} = reply to the refused order → the rollback order
     * arrives. {@code nakedLimitMs}: the least naked window possible, how much later the refusal
     * comes than the fill is told (0 when it comes first); {@code afterRejectionLimitMs}: the
     * least wait after the refusal, how much later the fill is told than the refusal.
     */
    public record Rollback(
            String refused,
            Stats nakedWindow,
            Stats afterRejection,
            double nakedLimitMs,
            double afterRejectionLimitMs) {}

    /**
     * What the venues' random refusals caused, over every open the trader tried.
     *
     * @param refusedBackpack opening orders Backpack refused at random
     * @param refusedHibachi  opening orders Hibachi refused at random
     * @param opensTried      opens the trader started in the run (opened, rolled back on purpose
     *                        or at random, failed)
     * @param rolledBack      opens rolled back because one leg was refused at random: each a naked window
     * @param failed          opens whose two legs were both refused: nothing to roll back
     * @param nakedWindow     over the random rollbacks: the good leg's reply → the rollback arrives
     * @param afterRejection  over the random rollbacks: the refused leg's reply → the rollback arrives
     */
    public record RandomRejections(
            double rate,
            int refusedBackpack,
            int refusedHibachi,
            int opensTried,
            int rolledBack,
            int failed,
            Stats nakedWindow,
            Stats afterRejection) {}

    /**
     * The monitor at {@code openPairs} open pairs with {@code markets} markets listed and
     * configured: venue calls per tick (median over the ticks), the tick's duration (one trader
     * step in which the monitor ran and nothing opened or closed), that duration over the slower
     * venue's round trip, and the database time per tick.
     */
    public record Tick(
            int openPairs,
            int markets,
            double callsBackpack,
            double callsHibachi,
            Stats duration,
            double medianOverMaxRtt,
            Stats dbMs,
            double dbCalls) {}

    /** Heap in use (after the run, no GC forced) and the process's resident set, now and at its peak, in MB. */
    public record Memory(double heapUsedMb, double rssMb, double rssPeakMb) {}

    /** The figures as one JSON document. */
    public String toJson() {
        ObjectNode root = Json.object().put("version", 1);
        root.putObject("settings")
                .put("pairs", settings.pairs())
                .put("max_open", settings.maxOpen())
                .put("rtt_backpack_ms", settings.rttBackpackMs())
                .put("rtt_hibachi_ms", settings.rttHibachiMs())
                .put("rollbacks", settings.rollbacks())
                .put("ticks_per_point", settings.ticks())
                .put("seed", settings.seed())
                .put("monitor_interval_ms", settings.monitorIntervalMs())
                .put("seeded_pairs", settings.seededPairs())
                .put("cpus", settings.cpus())
                .put("markets", settings.markets())
                .put("reject_rate", settings.rejectRate())
                .put("hibachi_signing", settings.hibachiSigning());
        ObjectNode l = root.putObject("load_average");
        number(l, "before", load.before());
        number(l, "after", load.after());
        ObjectNode open = root.putObject("open");
        open.put("samples", openPairs.atVenues().samples());
        number(open, "median_ms", openPairs.atVenues().median());
        number(open, "max_ms", openPairs.atVenues().max());
        number(open, "physical_limit_ms", openPairs.physicalLimitMs());
        number(open, "until_open_median_ms", openPairs.untilOpen().median());
        number(open, "until_open_max_ms", openPairs.untilOpen().max());
        ObjectNode requests = open.putObject("requests_until_open");
        number(requests, "backpack", openPairs.requestsBackpack());
        number(requests, "hibachi", openPairs.requestsHibachi());
        stats(root.putObject("leg_skew"), legSkew);
        ArrayNode rbs = root.putArray("rollbacks");
        for (Rollback r : rollbacks) {
            ObjectNode rb = rbs.addObject()
                    .put("refused", r.refused())
                    .put("samples", r.nakedWindow().samples());
            number(rb, "naked_window_median_ms", r.nakedWindow().median());
            number(rb, "naked_window_max_ms", r.nakedWindow().max());
            number(rb, "naked_window_limit_ms", r.nakedLimitMs());
            number(rb, "after_rejection_median_ms", r.afterRejection().median());
            number(rb, "after_rejection_max_ms", r.afterRejection().max());
            number(rb, "after_rejection_limit_ms", r.afterRejectionLimitMs());
        }
        ObjectNode rr = root.putObject("random_rejections").put("rate", random.rate());
        rr.putObject("refused_orders")
                .put("backpack", random.refusedBackpack())
                .put("hibachi", random.refusedHibachi());
        rr.put("opens_tried", random.opensTried())
                .put("rolled_back", random.rolledBack())
                .put("failed", random.failed())
                .put("naked_window_samples", random.nakedWindow().samples());
        number(rr, "naked_window_median_ms", random.nakedWindow().median());
        number(rr, "naked_window_max_ms", random.nakedWindow().max());
        number(rr, "after_rejection_median_ms", random.afterRejection().median());
        number(rr, "after_rejection_max_ms", random.afterRejection().max());
        ticks(root.putArray("ticks"), ticks);
        ticks(root.putArray("few_markets_ticks"), fewMarkets);
        ObjectNode m = root.putObject("memory");
        number(m, "heap_used_mb", memory.heapUsedMb());
        number(m, "rss_mb", memory.rssMb());
        number(m, "rss_peak_mb", memory.rssPeakMb());
        ObjectNode a = root.putObject("alerts");
        alerts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> a.put(e.getKey(), e.getValue()));
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench report", e);
        }
    }

    private static void ticks(ArrayNode list, List<Tick> ticks) {
        for (Tick t : ticks) {
            ObjectNode n = list.addObject()
                    .put("open_pairs", t.openPairs())
                    .put("markets", t.markets())
                    .put("samples", t.duration().samples());
            ObjectNode calls = n.putObject("calls_per_tick");
            number(calls, "backpack", t.callsBackpack());
            number(calls, "hibachi", t.callsHibachi());
            number(n, "tick_median_ms", t.duration().median());
            number(n, "tick_max_ms", t.duration().max());
            number(n, "tick_over_max_rtt", t.medianOverMaxRtt());
            number(n, "db_median_ms", t.dbMs().median());
            number(n, "db_max_ms", t.dbMs().max());
            number(n, "db_calls_per_tick", t.dbCalls());
        }
    }

    private static void stats(ObjectNode node, Stats s) {
        node.put("samples", s.samples());
        number(node, "median_ms", s.median());
        number(node, "max_ms", s.max());
    }

    /** {@code value} to two decimals; NaN as null. */
    private static void number(ObjectNode node, String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(key);
        } else {
            node.put(key, BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN));
        }
    }
}
