package dev.perptrader.exchange.sim;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.TopOfBook;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Checks a market order against one account and prices it, changing nothing: the venue's
 * rules, reduce-only, minimums, spread, slippage and impact, fee and margin, each from the
 * venue's own model ({@link AppConfig.Sim#venue}). Also values books at the marks. Rules and
 * marks come from the world's {@link MarketFeed}.
 */
final class SimMatcher {
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private final AppConfig.Sim params;
    private final MarketFeed feed;

    SimMatcher(AppConfig.Sim params, MarketFeed feed) {
        this.params = params;
        this.feed = feed;
    }

    /**
     * What {@code request} would do to {@code account}; {@code fillFraction} in (0, 1) fills
     * only that part (rounded down to the step), {@code null} all of it.
     *
     * @throws ExchangeException REJECTED (unknown symbol, market closed, reduce-only without a
     *                           matching position), BELOW_MINIMUM (off the step; under the
     *                           minimums unless reduce-only), INSUFFICIENT_MARGIN (grows a
     *                           position past free collateral)
     */
    Match match(SimAccount account, OrderRequest request, BigDecimal fillFraction) {
        Venue venue = account.venue();
        String symbol = request.symbol();
        MarketRules rules = rules(venue, symbol);
        if (!rules.open()) {
            throw error(venue, ExchangeError.REJECTED, "market " + symbol + " is closed");
        }
        if (request.qty().remainder(rules.stepSize()).signum() != 0) {
            throw error(
                    venue,
                    ExchangeError.BELOW_MINIMUM,
                    "qty " + request.qty() + " is not a multiple of step " + rules.stepSize() + " on " + symbol);
        }
        BigDecimal mark = feed.mark(venue, rules.asset());
        BigDecimal accepted = request.reduceOnly()
                ? reducibleQty(account, request)
                : checkMinimums(venue, rules, request.qty(), mark);
        BigDecimal qty = fillFraction == null ? accepted : rules.floorQty(accepted.multiply(fillFraction));
        AppConfig.VenueModel model = params.venue(venue);
        BigDecimal price = fillPrice(model, rules, mark, qty, request.side());
        BigDecimal fee = qty.multiply(price).multiply(model.takerFeeRate());
        BigDecimal signedQty = request.side() == OrderSide.BUY ? qty : qty.negate();
        SimBook.Trade trade = account.book().trade(symbol, signedQty, price, fee);
        if (!request.reduceOnly()) {
            checkMargin(account, symbol, trade.book());
        }
        return new Match(qty, qty.signum() == 0 ? BigDecimal.ZERO : price, fee, trade);
    }

    /**
     * Checks a limit order against the venue's rules, changing nothing: the market open, the
     * quantity on the step, the price on the tick (REJECTED), and, unless reduce-only, the
     * minimum quantity and notional at the order's price (BELOW_MINIMUM). Returns the rules.
     */
    MarketRules checkLimit(Venue venue, LimitOrderRequest request) {
        MarketRules rules = rules(venue, request.symbol());
        if (!rules.open()) {
            throw error(venue, ExchangeError.REJECTED, "market " + request.symbol() + " is closed");
        }
        if (request.qty().remainder(rules.stepSize()).signum() != 0) {
            throw error(
                    venue,
                    ExchangeError.BELOW_MINIMUM,
                    "qty " + request.qty() + " is not a multiple of step " + rules.stepSize() + " on "
                            + request.symbol());
        }
        if (request.price().remainder(rules.tickSize()).signum() != 0) {
            throw error(
                    venue,
                    ExchangeError.REJECTED,
                    "price " + request.price().toPlainString() + " is not a multiple of tick " + rules.tickSize()
                            + " on " + request.symbol());
        }
        if (!request.reduceOnly()) {
            checkMinimums(venue, rules, request.qty(), request.price());
        }
        return rules;
    }

    /**
     * What filling {@code request} at {@code price} with fee rate {@code feeRate} would do to
     * {@code account}, changing nothing. A reduce-only order fills at most the position it
     * reduces (REJECTED when there is none on the other side: it never opens or flips one);
     * any other order is refused with INSUFFICIENT_MARGIN when it would grow a position past
     * free collateral.
     */
    Match matchAt(SimAccount account, OrderRequest request, BigDecimal price, BigDecimal feeRate) {
        BigDecimal qty = request.reduceOnly() ? reducibleQty(account, request) : request.qty();
        BigDecimal fee = qty.multiply(price).multiply(feeRate);
        BigDecimal signedQty = request.side() == OrderSide.BUY ? qty : qty.negate();
        SimBook.Trade trade = account.book().trade(request.symbol(), signedQty, price, fee);
        if (!request.reduceOnly()) {
            checkMargin(account, request.symbol(), trade.book());
        }
        return new Match(qty, price, fee, trade);
    }

    /**
     * The venue's best bid and ask of {@code rules}' market now: mark × (1 ∓ {@code spread_bps} /
     * 2 / 10000), the bid rounded down and the ask up to the tick, at least one tick apart (so a
     * venue without spread still shows a two-sided book). The simulated book has no depth: the
     * quantities are null.
     */
    TopOfBook top(Venue venue, MarketRules rules, Instant at) {
        BigDecimal mark = feed.mark(venue, rules.asset());
        BigDecimal half = params.venue(venue).spreadBps().multiply(HALF).movePointLeft(4);
        BigDecimal tick = rules.tickSize();
        BigDecimal bid = mark.multiply(BigDecimal.ONE.subtract(half))
                .divide(tick, 0, RoundingMode.FLOOR)
                .multiply(tick);
        BigDecimal ask = mark.multiply(BigDecimal.ONE.add(half))
                .divide(tick, 0, RoundingMode.CEILING)
                .multiply(tick);
        if (ask.compareTo(bid) <= 0) {
            ask = bid.add(tick);
        }
        if (bid.signum() <= 0) {
            bid = tick;
            ask = ask.max(bid.add(tick));
        }
        return new TopOfBook(rules.symbol(), bid, null, ask, null, at);
    }

    /** {@code book} valued at this venue's marks with {@code account}'s leverage. */
    SimBook.Valuation value(SimAccount account, SimBook book) {
        Venue venue = account.venue();
        return book.value(
                symbol -> mark(venue, symbol),
                account::leverage,
                params.venue(venue).maintenanceMarginRate());
    }

    /** Whether {@code account}'s book is below its maintenance margin at the marks. */
    boolean belowMaintenance(SimAccount account) {
        Venue venue = account.venue();
        return account.book()
                .belowMaintenance(
                        symbol -> mark(venue, symbol), params.venue(venue).maintenanceMarginRate());
    }

    /** The mark of a symbol that has a position. */
    BigDecimal mark(Venue venue, String symbol) {
        return feed.mark(venue, assetOf(venue, symbol));
    }

    /** The asset of a symbol that has a position; VENUE_DOWN if the venue stopped listing it. */
    String assetOf(Venue venue, String symbol) {
        return feed.rules(venue, symbol)
                .map(MarketRules::asset)
                .orElseThrow(() -> error(
                        venue,
                        ExchangeError.VENUE_DOWN,
                        "no market data for " + symbol + ": the venue no longer lists it"));
    }

    /** The rules of {@code symbol}, open or not; REJECTED when the venue does not list it. */
    MarketRules rules(Venue venue, String symbol) {
        return feed.rules(venue, symbol)
                .orElseThrow(() -> error(venue, ExchangeError.REJECTED, "unknown symbol " + symbol));
    }

    private static BigDecimal reducibleQty(SimAccount account, OrderRequest request) {
        Venue venue = account.venue();
        SimPosition position = account.book()
                .position(request.symbol())
                .orElseThrow(() -> error(
                        venue,
                        ExchangeError.REJECTED,
                        "reduce-only " + request.side() + " but no position in " + request.symbol()));
        if (position.side().closing() != request.side()) {
            throw error(
                    venue,
                    ExchangeError.REJECTED,
                    "reduce-only " + request.side()
                            + " would increase the " + position.side() + " position in "
                            + request.symbol());
        }
        return request.qty().min(position.size());
    }

    private static BigDecimal checkMinimums(Venue venue, MarketRules rules, BigDecimal qty, BigDecimal mark) {
        if (!rules.meetsMinimums(qty, mark)) {
            throw error(
                    venue,
                    ExchangeError.BELOW_MINIMUM,
                    "qty " + qty + " (notional "
                            + qty.multiply(mark).toPlainString() + ") below minimum qty " + rules.minQty()
                            + " / notional " + rules.minNotional() + " on " + rules.symbol());
        }
        return qty;
    }

    /** Refuses an order that grows a position when free collateral would go negative. */
    private void checkMargin(SimAccount account, String symbol, SimBook after) {
        BigDecimal before =
                account.book().position(symbol).map(SimPosition::size).orElse(BigDecimal.ZERO);
        BigDecimal grown = after.position(symbol).map(SimPosition::size).orElse(BigDecimal.ZERO);
        if (grown.compareTo(before) <= 0) {
            return;
        }
        BigDecimal excess = value(account, after).excess();
        if (excess.signum() < 0) {
            throw error(
                    account.venue(),
                    ExchangeError.INSUFFICIENT_MARGIN,
                    "free collateral after " + symbol + " order would be " + excess.toPlainString());
        }
    }

    /** Mark ± {@link #costBps} (a buy pays up), rounded to the tick. */
    private static BigDecimal fillPrice(
            AppConfig.VenueModel model, MarketRules rules, BigDecimal mark, BigDecimal qty, OrderSide side) {
        BigDecimal slip = costBps(model, qty.multiply(mark)).movePointLeft(4);
        BigDecimal factor = side == OrderSide.BUY ? BigDecimal.ONE.add(slip) : BigDecimal.ONE.subtract(slip);
        return SimMarket.roundToTick(mark.multiply(factor), rules.tickSize());
    }

    /**
     * What a market order of {@code notional} USD pays beyond the mark, in basis points: half the
     * spread, the fixed slippage, and the impact, which grows linearly with the notional.
     */
    static BigDecimal costBps(AppConfig.VenueModel model, BigDecimal notional) {
        return model.spreadBps()
                .multiply(HALF)
                .add(model.slippageBps())
                .add(model.impactBpsPer100kUsd().multiply(notional).movePointLeft(5));
    }

    static ExchangeException error(Venue venue, ExchangeError kind, String message) {
        return new ExchangeException(venue, kind, message);
    }

    /**
     * An accepted order, not yet applied.
     *
     * @param qty   base quantity that fills (zero when a partial fill rounds to nothing)
     * @param price fill price (zero when nothing fills)
     */
    record Match(BigDecimal qty, BigDecimal price, BigDecimal fee, SimBook.Trade trade) {}
}
