package dev.perptrader.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.notify.TelegramCommands.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The owner's commands as a plain function of (update, time): who is obeyed, what is replied, what is done. */
final class TelegramCommandsTest {
    private static final long OWNER = 1001;
    private static final long FRIEND = -100200;
    private static final long STRANGER = 666;
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private final FakeControl control = new FakeControl();
    private final TelegramCommands commands = new TelegramCommands(OWNER, List.of(FRIEND), control, new Random(7));
    private long updateId;

    private Outcome send(long chat, String text, Instant at) {
        return commands.handle(new TelegramUpdate(++updateId, chat, text), at);
    }

    private String reply(long chat, String text) {
        Outcome o = send(chat, text, NOW);
        assertThat(o).isInstanceOf(Outcome.Reply.class);
        assertThat(((Outcome.Reply) o).chatId()).isEqualTo(chat);
        return ((Outcome.Reply) o).text();
    }

    /** Asks for a close-all code and returns it. */
    private String code(long chat, Instant at) {
        Outcome o = send(chat, "/closeall", at);
        String text = ((Outcome.Reply) o).text();
        assertThat(text).contains("within 2 minutes").containsPattern("/closeall [0-9]{6}$");
        return text.substring(text.length() - 6);
    }

    @Test
    void commandsFromAnUnknownChatAreIgnoredAndDoNothing() {
        for (String text :
                List.of("/status", "/pause", "/resume", "/history 3", "/closeall", "/closeall 123456", "/help")) {
            assertThat(send(STRANGER, text, NOW)).isEqualTo(new Outcome.Ignored(STRANGER));
        }
        assertThat(send(0, "/status", NOW)).isEqualTo(new Outcome.Ignored(0));
        assertThat(control.calls).isEmpty();
    }

    @Test
    void theOwnerAndTheAllowedChatsAreObeyed() {
        assertThat(reply(OWNER, "/status")).isEqualTo("opening: allowed\nno open pairs");
        assertThat(reply(FRIEND, "/status@perp_trader_bot")).isEqualTo("opening: allowed\nno open pairs");
        assertThat(control.calls).containsExactly("status", "status");
        assertThat(commands.allowed(OWNER)).isTrue();
        assertThat(commands.allowed(FRIEND)).isTrue();
        assertThat(commands.allowed(STRANGER)).isFalse();
    }

    @Test
    void pauseAndResumeSayWhoAsked() {
        assertThat(reply(OWNER, "/pause")).isEqualTo("opening paused");
        assertThat(reply(FRIEND, "/resume")).isEqualTo("opening resumed");
        assertThat(control.calls).containsExactly("pause: paused from Telegram by chat 1001", "resume");
        assertThat(reply(OWNER, "/pause now")).isEqualTo("/pause takes nothing");
    }

    @Test
    void historyTakesAnOptionalCountFrom1To50() {
        reply(OWNER, "/history");
        reply(OWNER, "/history 12");
        reply(OWNER, "/HISTORY 50");
        assertThat(control.calls).containsExactly("history 5", "history 12", "history 50");
        for (String bad : List.of("/history 0", "/history 51", "/history x", "/history -1")) {
            assertThat(reply(OWNER, bad)).isEqualTo("usage: /history [n], n from 1 to 50");
        }
        assertThat(control.calls).hasSize(3);
    }

    @Test
    void helpListsEveryCommandAndUnknownOnesPointToIt() {
        assertThat(reply(OWNER, "/help"))
                .contains("/status", "/history [n]", "/pause", "/resume", "/closeall", "/help");
        assertThat(reply(OWNER, "/start")).isEqualTo(TelegramCommands.HELP);
        assertThat(reply(OWNER, "/sell everything")).isEqualTo("unknown command /sell; /help lists them");
        assertThat(reply(OWNER, "hello")).isEqualTo("send a command; /help lists them");
        assertThat(reply(OWNER, "")).isEqualTo("send a command; /help lists them");
        assertThat(control.calls).isEmpty();
    }

    @Test
    void closeAllNeedsTheCodeItGave() {
        String code = code(OWNER, NOW);
        assertThat(control.calls).as("asking closes nothing").isEmpty();

        Outcome o = send(OWNER, "/closeall " + code, NOW.plusSeconds(30));
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        Outcome.Deferred d = (Outcome.Deferred) o;
        assertThat(d.chatId()).isEqualTo(OWNER);
        assertThat(d.ack()).contains("closing every open pair");
        assertThat(control.calls).containsExactly("closeAll: requested from Telegram by chat 1001");
        assertThat(d.result()).isSameAs(control.closeAlls.get(0));

        assertThat(reply(OWNER, "/closeall " + code))
                .as("a code works once")
                .isEqualTo("no close-all is waiting for a code: nothing closed. Send /closeall first.");
        assertThat(control.calls).hasSize(1);
    }

    @Test
    void aWrongCodeClosesNothingAndUsesTheCodeUp() {
        String code = code(OWNER, NOW);
        String wrong = code.equals("000000") ? "000001" : "000000";
        assertThat(reply(OWNER, "/closeall " + wrong))
                .isEqualTo("wrong code: nothing closed. Send /closeall for a new one.");
        assertThat(reply(OWNER, "/closeall " + code))
                .as("one guess per code")
                .isEqualTo("no close-all is waiting for a code: nothing closed. Send /closeall first.");
        assertThat(reply(OWNER, "/closeall 12345x")).startsWith("no close-all is waiting");
        assertThat(control.calls).isEmpty();
    }

    @Test
    void anExpiredCodeClosesNothing() {
        String code = code(OWNER, NOW);
        Outcome o = send(OWNER, "/closeall " + code, NOW.plus(Duration.ofMinutes(2)));
        assertThat(((Outcome.Reply) o).text())
                .isEqualTo("that code expired: nothing closed. Send /closeall for a new one.");
        assertThat(control.calls).isEmpty();
    }

    @Test
    void aCodeIsOnlyGoodInTheChatThatAskedForIt() {
        String code = code(OWNER, NOW);
        assertThat(reply(FRIEND, "/closeall " + code)).startsWith("no close-all is waiting");
        assertThat(send(STRANGER, "/closeall " + code, NOW)).isInstanceOf(Outcome.Ignored.class);
        assertThat(control.calls).isEmpty();
        assertThat(send(OWNER, "/closeall " + code, NOW)).isInstanceOf(Outcome.Deferred.class);
    }

    @Test
    void aNewCodeReplacesTheOldOne() {
        String first = code(OWNER, NOW);
        String second = code(OWNER, NOW.plusSeconds(1));
        if (!first.equals(second)) {
            assertThat(reply(OWNER, "/closeall " + first)).startsWith("wrong code");
            assertThat(control.calls).isEmpty();
        }
    }

    @Test
    void codesAreSixDigitsFromTheGivenRandom() {
        TelegramCommands other = new TelegramCommands(OWNER, List.of(), control, new Random(7));
        String a = code(OWNER, NOW);
        Outcome o = other.handle(new TelegramUpdate(1, OWNER, "/closeall"), NOW);
        assertThat(((Outcome.Reply) o).text()).endsWith(a);
    }
}
