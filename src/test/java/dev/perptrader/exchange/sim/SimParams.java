package dev.perptrader.exchange.sim;

import dev.perptrader.config.AppConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;

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

    AppConfig.Sim build() {
        return new AppConfig.Sim(
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
    }
}
