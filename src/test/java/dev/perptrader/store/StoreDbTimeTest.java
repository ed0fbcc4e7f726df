package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.PairStatus;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Store's own count of its time in the database: every outermost call once, a batch as one. */
final class StoreDbTimeTest {
    @TempDir
    Path dir;

    @Test
    void countsEachCallOnceAndABatchAsOneCall() {
        try (Store store = Store.open(dir.resolve("t.db"))) {
            Store.DbTime start = store.dbTime();

            store.pairs(EnumSet.of(PairStatus.OPEN));
            store.openingPause();
            Store.DbTime two = store.dbTime().since(start);
            assertThat(two.calls()).isEqualTo(2);
            assertThat(two.nanos()).isPositive();

            Store.DbTime beforeBatch = store.dbTime();
            store.batch(() -> {
                store.pairs(EnumSet.of(PairStatus.OPEN));
                store.openingPause();
                store.failedOpensInARow();
            });
            Store.DbTime batch = store.dbTime().since(beforeBatch);
            assertThat(batch.calls()).isEqualTo(1);
            assertThat(batch.nanos()).isPositive();
            assertThat(store.dbTime().calls()).isEqualTo(start.calls() + 3);
        }
    }
}
