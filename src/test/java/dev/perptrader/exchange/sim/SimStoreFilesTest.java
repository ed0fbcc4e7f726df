package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.files.PrivateFiles;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated accounts are money too: their state file, -wal and -shm are created 0600. */
final class SimStoreFilesTest {
    @TempDir
    Path dir;

    @Test
    void theStateFileAndItsWalAndShmAreOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        MutableClock clock = MutableClock.at("2024-01-01T00:10:00Z");
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            world.venue(BackpackExchange.VENUE)
                    .placeMarketOrder(buy(world.venue(BackpackExchange.VENUE), BP_BTC, "0.01"));
            for (String name : List.of("sim.db", "sim.db-wal", "sim.db-shm")) {
                assertThat(Files.getPosixFilePermissions(dir.resolve(name)))
                        .as(name)
                        .isEqualTo(PrivateFiles.OWNER_ONLY);
            }
        }
    }
}
