package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a write read back is handed out once no write is under way, and only until the next write. */
final class ReadMemoTest {
    @Test
    void rowsAWriteReadBackAreKeptUntilTheNextWrite() {
        ReadMemo memo = new ReadMemo();
        memo.writeStarted();
        memo.writeEnded();
        memo.keepWritten(Map.of("order", "committed"));
        assertThat(memo.kept("order")).isEqualTo("committed");
        memo.writeStarted();
        assertThat(memo.kept("order"))
                .as("not handed out while a write is under way")
                .isNull();
        memo.writeEnded();
        assertThat(memo.kept("order")).as("forgotten by the next write").isNull();
    }

    @Test
    void rowsAnInnerWriteReadBackAreNeverHandedOutBeforeTheOuterWriteEnds() {
        ReadMemo memo = new ReadMemo();
        memo.writeStarted();
        memo.writeStarted(); // an inner write inside an outer one that may still roll back
        memo.writeEnded();
        memo.keepWritten(Map.of("order", "inner"));
        assertThat(memo.kept("order")).isNull();
        memo.writeEnded();
        assertThat(memo.kept("order")).isNull();
    }
}
