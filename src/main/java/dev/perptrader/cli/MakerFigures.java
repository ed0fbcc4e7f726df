package dev.perptrader.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.FeeFloor;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a simulation says about maker-first orders: the fee floors to compare its cost per $1M
 * with (one taker leg, both legs taking), and the exposure its fills ran while unhedged.
 *
 * @param oneTakerLegPer1m fees per $1M when the maker venue rests and the other venue takes
 * @param bothTakePer1m    fees per $1M when both venues take
 * @param exposure         every pair's maker-first exposure added up; empty when nothing rested
 * @param poll             trading.maker_poll_ms: the most a fill waits to be seen
 */
record MakerFigures(
        Venue makerVenue,
        BigDecimal oneTakerLegPer1m,
        BigDecimal bothTakePer1m,
        Optional<Store.MakerExposure> exposure,
        Duration poll) {

    /** From the venues' fee rates and what the book recorded. */
    static MakerFigures of(AppConfig cfg, Map<Venue, PerpExchange> venues, Store store) {
        List<Venue> configured = cfg.trading().venues();
        FeeRates a = venues.get(configured.get(0)).feeRates();
        FeeRates b = venues.get(configured.get(1)).feeRates();
        Venue maker = cfg.trading()
                .orders()
                .makerVenue()
                .orElse(FeeRates.cheaperToRest(configured.get(0), a, configured.get(1), b));
        FeeRates resting = maker == configured.get(0) ? a : b;
        FeeRates taking = maker == configured.get(0) ? b : a;
        return new MakerFigures(
                maker,
                FeeFloor.oneTakerLegPer1m(resting.maker(), taking.taker()),
                FeeFloor.bothTakePer1m(a.taker(), b.taker()),
                store.makerExposureTotals(),
                cfg.trading().orders().poll());
    }

    void rows(Table t) {
        t.row(
                "fee floor per $1M volume",
                usd(oneTakerLegPer1m) + " resting on " + makerVenue.configName() + " and taking on the other; "
                        + usd(bothTakePer1m) + " both taking");
        exposure.ifPresent(e -> t.row(
                "maker-first exposure",
                e.qtySeconds().setScale(6, RoundingMode.HALF_EVEN).toPlainString()
                        + " base x s over " + e.fills() + " hedged fills (fill seen -> hedge filled; worst "
                        + e.worstHedgeMs() + " ms); fill -> seen at most " + poll.toMillis()
                        + " ms (trading.maker_poll_ms)"));
    }

    void json(ObjectNode n) {
        n.put("floor_one_taker_leg_per_1m_usd", Money.plain(oneTakerLegPer1m));
        n.put("floor_both_take_per_1m_usd", Money.plain(bothTakePer1m));
        if (exposure.isPresent()) {
            n.put("maker_exposure_base_seconds", Money.plain(exposure.get().qtySeconds()));
            n.put("maker_hedged_fills", exposure.get().fills());
            n.put("maker_worst_hedge_ms", exposure.get().worstHedgeMs());
        } else {
            n.putNull("maker_exposure_base_seconds");
            n.put("maker_hedged_fills", 0);
            n.putNull("maker_worst_hedge_ms");
        }
        n.put("maker_poll_ms", poll.toMillis());
    }

    private static String usd(BigDecimal v) {
        return Money.usd(v).toPlainString() + " USD";
    }
}
