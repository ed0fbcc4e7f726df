package dev.perptrader.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and maximum of a sample, in milliseconds; NaN when there is none. */
public record Stats(int samples, double median, double max) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(n, median, sorted.get(n - 1));
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }
}
