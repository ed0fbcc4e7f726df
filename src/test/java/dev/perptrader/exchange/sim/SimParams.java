package dev.perptrader.exchange.sim;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Builds {@link AppConfig.Sim} for tests: a quiet market (no volatility, no basis) by default. */
final class SimParams {
    long seed = 42;
    Path stateFile;
    BigDecimal startingBalance = new BigDecimal("10000");
    BigDecimal takerFeeRate = new BigDecimal("0.0005");
    BigDecimal slippageBps = new BigDecimal("5");
    BigDecimal basisNoiseBps = BigDecimal.ZERO;
    BigDecimal volatilityAnnual = BigDecimal.ZERO;
    Duration fundingInterval = Duration.ofHours(1);
    BigDecimal maxFundingRate = new BigDecimal("0.0001");
    BigDecimal maintenanceMarginRate = new BigDecimal("0.05");
    BigDecimal liquidationFeeRate = new BigDecimal("0.01");
    private final Map<Venue, VenueParams> venues = new TreeMap<>();

    SimParams(Path dir) {
        this.stateFile = dir.resolve("sim.db");
    }

    SimParams seed(long v) {
        seed = v;
        return this;
    }

    SimParams file(Path v) {
        stateFile = v;
        return this;
    }

    SimParams balance(String v) {
        startingBalance = new BigDecimal(v);
        return this;
    }

    SimParams slippageBps(String v) {
        slippageBps = new BigDecimal(v);
        return this;
    }

    SimParams fee(String v) {
        takerFeeRate = new BigDecimal(v);
        return this;
    }

    SimParams basisNoiseBps(String v) {
        basisNoiseBps = new BigDecimal(v);
        return this;
    }

    SimParams volatility(String v) {
        volatilityAnnual = new BigDecimal(v);
        return this;
    }

    SimParams maxFundingRate(String v) {
        maxFundingRate = new BigDecimal(v);
        return this;
    }

    SimParams maintenance(String v) {
        maintenanceMarginRate = new BigDecimal(v);
        return this;
    }

    SimParams liquidationFee(String v) {
        liquidationFeeRate = new BigDecimal(v);
        return this;
    }

    /** Sets some of {@code venue}'s own values; the others stay the global ones. */
    SimParams venue(Venue venue, Consumer<VenueParams> set) {
        set.accept(venues.computeIfAbsent(venue, v -> new VenueParams()));
        return this;
    }

    /** One venue's own values; null = the global value. */
    static final class VenueParams {
        BigDecimal makerFee;
        BigDecimal takerFee;
        BigDecimal spreadBps;
        BigDecimal slippageBps;
        BigDecimal impactBps;
        BigDecimal basisBps;
        BigDecimal basisNoiseBps;
        Duration fundingInterval;
        BigDecimal maxFundingRate;
        BigDecimal maintenance;
        BigDecimal liquidationFee;

        AppConfig.VenueModel over(AppConfig.VenueModel d) {
            return new AppConfig.VenueModel(
                    or(makerFee, d.makerFeeRate()),
                    or(takerFee, d.takerFeeRate()),
                    or(spreadBps, d.spreadBps()),
                    or(slippageBps, d.slippageBps()),
                    or(impactBps, d.impactBpsPer100kUsd()),
                    fundingInterval != null ? fundingInterval : d.fundingInterval(),
                    or(maxFundingRate, d.maxFundingRate()),
                    or(maintenance, d.maintenanceMarginRate()),
                    or(liquidationFee, d.liquidationFeeRate()),
                    or(basisBps, d.basisBps()),
                    or(basisNoiseBps, d.basisNoiseBps()));
        }

        private static BigDecimal or(BigDecimal own, BigDecimal global) {
            return own != null ? own : global;
        }
    }

    AppConfig.Sim build() {
        AppConfig.Sim uniform = new AppConfig.Sim(
                seed,
                stateFile,
                startingBalance,
                takerFeeRate,
                slippageBps,
                basisNoiseBps,
                volatilityAnnual,
                fundingInterval,
                maxFundingRate,
                maintenanceMarginRate,
                liquidationFeeRate);
        AppConfig.Sim out = uniform;
        for (Map.Entry<Venue, VenueParams> e : venues.entrySet()) {
            out = out.withVenue(e.getKey(), e.getValue().over(uniform.defaults()));
        }
        return out;
    }
}
