package dev.perptrader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the machine says about itself: the load average and this process's memory (Linux /proc). */
final class MachineReadings {
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final double MB = 1024 * 1024;

    private MachineReadings() {}

    /** The 1-minute load average, or NaN where /proc/loadavg cannot be read. */
    static double loadAverage() {
        try {
            String text = Files.readString(LOADAVG).strip();
            return Double.parseDouble(text.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Heap in use now (no GC forced), and VmRSS and VmHWM from /proc/self/status (NaN where absent). */
    static BenchReport.Memory memory() {
        Runtime rt = Runtime.getRuntime();
        double heap = (rt.totalMemory() - rt.freeMemory()) / MB;
        List<String> lines;
        try {
            lines = Files.readAllLines(STATUS);
        } catch (IOException | RuntimeException e) {
            lines = List.of();
        }
        return new BenchReport.Memory(heap, kilobytes(lines, "VmRSS:") / 1024, kilobytes(lines, "VmHWM:") / 1024);
    }

    private static double kilobytes(List<String> lines, String field) {
        for (String line : lines) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).strip().split("\\s+");
                try {
                    return Double.parseDouble(parts[0]);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }
}
