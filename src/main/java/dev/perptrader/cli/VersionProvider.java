package dev.perptrader.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** "perp-trader 0.1.0": the Maven project version, filtered into a resource at build time. */
final class VersionProvider implements IVersionProvider {
    private static final String RESOURCE = "/perp-trader-version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"perp-trader " + version()};
    }

    /** The project version this build was made from. */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.contains("${")) {
                throw new IllegalStateException(RESOURCE + " holds no filtered version: " + v);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
