package dev.perptrader.exchange.hyperliquid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.hyperliquid.HyperliquidMapper.OrderOutcome;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies shaped as api/hyperliquid.md §5 and §6 show them, and replies that are not. */
final class HyperliquidMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void marketsKeepTheirArrayPositionAsAssetNumberDelistedOnesIncluded() throws Exception {
        List<HyperliquidMapper.Market> markets = HyperliquidMapper.markets(json("[{'universe':["
                + "{'name':'BTC','szDecimals':5,'maxLeverage':50},"
                + "{'name':'OLD','szDecimals':1,'maxLeverage':3,'isDelisted':true},"
                + "{'name':'ETH','szDecimals':4,'maxLeverage':25}]},"
                + "[{'funding':'0.0000125','markPx':'60012.5','midPx':null,'openInterest':'688.11'},"
                + "{'funding':'0','markPx':'1.2','openInterest':'0'},"
                + "{'funding':'-0.00002','markPx':'3001.25','midPx':'3001.2','openInterest':'1234.5'}]]"));
        assertThat(markets).extracting(HyperliquidMapper.Market::coin).containsExactly("BTC", "OLD", "ETH");
        HyperliquidMapper.Market eth = markets.get(2);
        assertThat(eth.index()).isEqualTo(2);
        assertThat(eth.szDecimals()).isEqualTo(4);
        assertThat(eth.maxLeverage()).isEqualTo(25);
        assertThat(eth.mark()).isEqualByComparingTo("3001.25");
        assertThat(eth.hourlyFunding()).isEqualByComparingTo("-0.00002");
        assertThat(markets.get(1).delisted()).isTrue();
    }

    @Test
    void theAccountReadsSignedSizesIntoSidesAndSkipsFlatPositions() throws Exception {
        AccountState a = HyperliquidMapper.account(json("{'assetPositions':["
                + "{'type':'oneWay','position':{'coin':'BTC','szi':'-0.00785','entryPx':'26951.0',"
                + "'leverage':{'type':'cross','value':20},'positionValue':'211.64542','unrealizedPnl':'-0.08007'}},"
                + "{'type':'oneWay','position':{'coin':'ETH','szi':'0.0','entryPx':null,'positionValue':'0','unrealizedPnl':'0'}}],"
                + "'marginSummary':{'accountValue':'1182.312496','totalMarginUsed':'171.740766'},"
                + "'crossMaintenanceMarginUsed':'52.1','withdrawable':'1010.57173','time':1700000000000}"));
        assertThat(a.equity()).isEqualByComparingTo("1182.312496");
        assertThat(a.maintenanceMargin()).isEqualByComparingTo("52.1");
        assertThat(a.freeCollateral()).isEqualByComparingTo("1010.57173");
        assertThat(a.positions()).hasSize(1);
        assertThat(a.signedPosition("BTC")).isEqualByComparingTo("-0.00785");
        AccountState.Position btc = a.position("BTC").orElseThrow();
        assertThat(btc.side()).isEqualTo(Side.SHORT);
        assertThat(btc.entryPrice()).isEqualByComparingTo("26951");
        assertThat(btc.markPrice())
                .isEqualByComparingTo(
                        new BigDecimal("211.64542").divide(new BigDecimal("0.00785"), dev.perptrader.domain.Money.MC));
    }

    @Test
    void everyOrderOfAnOkReplyIsReadOnItsOwn() throws Exception {
        List<OrderOutcome> out =
                HyperliquidMapper.orderOutcomes(json("{'status':'ok','response':{'type':'order','data':"
                        + "{'statuses':[{'resting':{'oid':77738308}},{'filled':{'totalSz':'0.02','avgPx':'1891.4','oid':77747314}},"
                        + "{'error':'Order could not immediately match against any resting orders. asset=4'},"
                        + "{'error':'Post only order would have immediately matched, bbo was 1891.3@1891.4.'}]}}}"));
        assertThat(out)
                .containsExactly(
                        new OrderOutcome.Resting(77738308),
                        new OrderOutcome.Filled(77747314, new BigDecimal("0.02"), new BigDecimal("1891.4")),
                        new OrderOutcome.Refused(
                                "Order could not immediately match against any resting orders. asset=4",
                                ExchangeError.REJECTED),
                        new OrderOutcome.Refused(
                                "Post only order would have immediately matched, bbo was 1891.3@1891.4.",
                                ExchangeError.WOULD_TAKE));
    }

    @Test
    void aWholeActionRefusedIsThrownAndRead() throws Exception {
        assertThatThrownBy(() -> HyperliquidMapper.orderOutcomes(
                        json("{'status':'err','response':'L1 error: User or API Wallet 0xabc does not exist.'}")))
                .isInstanceOfSatisfying(
                        HyperliquidMapper.Refusal.class,
                        r -> assertThat(r.error()).isEqualTo(ExchangeError.AUTH_FAILED))
                .hasMessage("L1 error: User or API Wallet 0xabc does not exist.");
        assertThat(HyperliquidMapper.errorOf("Invalid nonce: duplicate nonce")).isEqualTo(ExchangeError.CLOCK_REJECTED);
        assertThat(HyperliquidMapper.errorOf("Insufficient margin to place order."))
                .isEqualTo(ExchangeError.INSUFFICIENT_MARGIN);
        assertThat(HyperliquidMapper.errorOf("Order must have minimum value of $10."))
                .isEqualTo(ExchangeError.BELOW_MINIMUM);
    }

    @Test
    void aReplyWithoutWhatItMustHoldIsRefusedByName() throws Exception {
        assertThatThrownBy(() -> HyperliquidMapper.account(json("{'assetPositions':[]}")))
                .isInstanceOf(HyperliquidMapper.MalformedReply.class)
                .hasMessage("clearinghouseState has no marginSummary");
        assertThatThrownBy(() -> HyperliquidMapper.markets(json("[{'universe':[{'name':'BTC','szDecimals':5,"
                        + "'maxLeverage':50}]},[{'funding':'0.1','markPx':'abc','openInterest':'1'}]]")))
                .hasMessage("markPx is not a number: 'abc'");
        assertThatThrownBy(() -> HyperliquidMapper.markets(json("[{'universe':[{'name':'BTC'}]},[]]")))
                .hasMessage("metaAndAssetCtxs: 1 markets but 0 contexts");
        assertThatThrownBy(() -> HyperliquidMapper.orderOutcomes(json(
                        "{'status':'ok','response':{'type':'order','data':" + "{'statuses':['waitingForFill']}}}")))
                .hasMessage("order status neither resting, filled nor error: \"waitingForFill\"");
        assertThatThrownBy(() -> HyperliquidMapper.orderOutcomes(json("{'status':'maybe'}")))
                .hasMessage("exchange reply status 'maybe' is neither ok nor err");
    }
}
