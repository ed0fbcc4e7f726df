package dev.perptrader.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.perptrader.domain.Venue;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds the validated {@link AppConfig} from five layers, highest precedence first:
 * <ol>
 *   <li>{@code overrides}: command-line flags, keyed by HOCON path ({@code mode},
 *       {@code trading.min_leverage});</li>
 *   <li>environment variables {@code APP__SECTION__KEY}: double underscore nests, names are
 *       lower-cased ({@code APP__EXCHANGES__BACKPACK__API_KEY} is
 *       {@code exchanges.backpack.api_key}); variables without the {@code APP__} prefix are
 *       ignored;</li>
 *   <li>the {@code .env} file in the working directory, same names (the real environment
 *       wins);</li>
 *   <li>the HOCON config file;</li>
 *   <li>the built-in {@code defaults.conf}, which also lists every known key.</li>
 * </ol>
 * Values from the environment, {@code .env} and overrides are strings; numbers are accepted as
 * strings everywhere, and list keys also as comma-separated strings. HOCON substitutions in the
 * file ({@code ${?BACKPACK_KEY}}) are looked up in the merged configuration, then in the
 * {@code env} map given here; the process environment is never read directly.
 *
 * <p>Any problem throws {@link ConfigError} with one line naming the key and the rule: the first
 * one found, in the order of {@code defaults.conf}, after any unknown key.
 */
public final class ConfigLoader {

    /** Prefix of the environment variables (and {@code .env} names) that configure perp-trader. */
    static final String ENV_PREFIX = "APP__";
    /** The config file used when none is named: {@code workDir/config.conf}, if it exists. */
    static final String DEFAULT_CONFIG_FILE = "config.conf";

    static final String DOT_ENV_FILE = ".env";

    private static final String DEFAULTS_RESOURCE = "/defaults.conf";
    /** The names of every venue's secret keys (exchanges.&lt;venue&gt;.&lt;name&gt;). */
    private static final Set<String> SECRET_FIELDS = Venue.values().stream()
            .flatMap(v -> v.registration().keys().stream())
            .filter(k -> k.kind() == Venue.Kind.SECRET)
            .map(Venue.Key::name)
            .collect(Collectors.toUnmodifiableSet());
    /** Secrets outside the venues' sections: the webhook URL often holds a token, the bot token is one. */
    private static final Set<String> SECRET_KEYS = Set.of("alerts.webhook.url", "alerts.telegram.bot_token");

    private ConfigLoader() {}

    /**
     * Loads and validates the configuration.
     *
     * @param configFile         the HOCON file to read, relative paths against {@code workDir};
     *                           null means {@code workDir/config.conf}
     * @param configFileExplicit true when the user named the file ({@code --config}): then a
     *                           missing file is an error rather than skipped
     * @param workDir            base for {@code .env}, {@code config.conf} and relative paths
     * @param env                the environment variables (pass {@code System.getenv()})
     * @param overrides          command-line values by HOCON path; null values are skipped
     * @throws ConfigError on the first missing file, syntax error, unknown key or broken rule
     */
    public static AppConfig load(
            Path configFile,
            boolean configFileExplicit,
            Path workDir,
            Map<String, String> env,
            Map<String, String> overrides) {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(overrides, "overrides");
        Path base = workDir.toAbsolutePath().normalize();
        Config defaults = Defaults.CONFIG;

        List<Setting> cliSettings = overrideSettings(overrides, defaults);
        List<Setting> envSettings = envSettings(env, defaults);
        List<Setting> dotEnvSettings = dotEnvSettings(base.resolve(DOT_ENV_FILE), defaults);
        Set<String> secrets = secretValues(cliSettings, envSettings, dotEnvSettings);

        Config file = configFile(configFile, configFileExplicit, base, secrets);
        secrets.addAll(fileSecrets(file));
        Config merged = layer(cliSettings)
                .withFallback(layer(envSettings))
                .withFallback(layer(dotEnvSettings))
                .withFallback(file)
                .withFallback(defaults);
        Config resolved = resolve(merged, env, secrets);
        rejectUnknown(resolved.root(), defaults.root(), "");
        return new ConfigBinder(new ConfigReader(resolved), base).bind();
    }

    /**
     * The effective configuration as {@code key = value} lines, in the order of
     * {@code defaults.conf}, with every secret masked; for the {@code check} command.
     */
    public static String describe(AppConfig c) {
        return ConfigDescription.of(c);
    }

    /** One value from the environment, {@code .env} or the command line, at a known key. */
    private record Setting(List<String> path, String value, String origin) {
        String key() {
            return String.join(".", path);
        }
    }

    /** The built-in defaults, parsed once (a Config is immutable): every load starts from them. */
    private static final class Defaults {
        static final Config CONFIG = defaults();
    }

    /**
     * {@code defaults.conf}, then each registered venue's own section ({@link
     * Venue.Registration#configResource}): its exchanges.&lt;venue&gt;, sim.venues.&lt;venue&gt; and
     * points.venues.&lt;venue&gt; keys.
     */
    private static Config defaults() {
        Config defaults = resource(DEFAULTS_RESOURCE, ConfigLoader.class);
        for (Venue v : Venue.values()) {
            defaults = defaults.withFallback(
                    resource(v.registration().configResource(), v.registration().getClass()));
        }
        return defaults;
    }

    private static Config resource(String name, Class<?> owner) {
        URL url = owner.getResource(name);
        if (url == null) {
            throw new IllegalStateException("classpath resource " + name + " is missing");
        }
        return ConfigFactory.parseURL(
                url, ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
    }

    private static List<Setting> overrideSettings(Map<String, String> overrides, Config defaults) {
        List<Setting> settings = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            List<String> path;
            try {
                path = ConfigUtil.splitPath(e.getKey());
            } catch (ConfigException ex) {
                throw new ConfigError(e.getKey() + ": malformed key (command-line override)");
            }
            settings.add(known(new Setting(path, e.getValue(), "command-line override"), defaults));
        }
        return settings;
    }

    private static List<Setting> envSettings(Map<String, String> env, Config defaults) {
        List<Setting> settings = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && e.getValue() != null) {
                String origin = "environment variable " + e.getKey();
                settings.add(known(fromEnvName(e.getKey(), e.getValue(), origin), defaults));
            }
        }
        return settings;
    }

    private static List<Setting> dotEnvSettings(Path file, Config defaults) {
        List<Setting> settings = new ArrayList<>();
        for (DotEnv.Entry e : DotEnv.read(file)) {
            String origin = e.origin() + " (" + e.name() + ")";
            settings.add(known(fromEnvName(e.name(), e.value(), origin), defaults));
        }
        return settings;
    }

    /** {@code APP__TRADING__MIN_LEVERAGE} is the path {@code [trading, min_leverage]}. */
    private static Setting fromEnvName(String name, String value, String origin) {
        String[] parts = name.substring(ENV_PREFIX.length()).split("__", -1);
        List<String> path = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new ConfigError(origin + ": malformed name, expected APP__SECTION__KEY");
            }
            path.add(part.toLowerCase(Locale.ROOT));
        }
        return new Setting(path, value, origin);
    }

    /** The setting itself if its path is a key of {@code defaults.conf} that holds a value. */
    private static Setting known(Setting s, Config defaults) {
        ConfigObject section = defaults.root();
        for (int i = 0; i < s.path().size(); i++) {
            ConfigValue v = section.get(s.path().get(i));
            if (v == null) {
                throw unknownKey(s.key(), section.keySet(), s.path().get(i), s.origin());
            }
            boolean last = i == s.path().size() - 1;
            if (last && v.valueType() == ConfigValueType.OBJECT) {
                throw new ConfigError(s.key() + ": is a section, not a single setting (" + s.origin() + ")");
            }
            if (!last && v.valueType() != ConfigValueType.OBJECT) {
                throw unknownKey(s.key(), Set.of(), "", s.origin());
            }
            if (!last) {
                section = (ConfigObject) v;
            }
        }
        return s;
    }

    private static Config layer(List<Setting> settings) {
        Config layer = ConfigFactory.empty();
        for (Setting s : settings) {
            layer = layer.withValue(
                    ConfigUtil.joinPath(s.path()), ConfigValueFactory.fromAnyRef(s.value(), s.origin()));
        }
        return layer;
    }

    private static Set<String> secretValues(List<Setting> cli, List<Setting> env, List<Setting> dotEnv) {
        Set<String> secrets = new TreeSet<>();
        for (List<Setting> settings : List.of(cli, env, dotEnv)) {
            for (Setting s : settings) {
                String field = s.path().get(s.path().size() - 1);
                if ((SECRET_FIELDS.contains(field) || SECRET_KEYS.contains(s.key()))
                        && !s.value().isBlank()) {
                    secrets.add(s.value().strip());
                }
            }
        }
        return secrets;
    }

    /** Secret values written literally in the config file, to keep them out of error messages. */
    private static Set<String> fileSecrets(Config file) {
        Set<String> secrets = new TreeSet<>();
        for (String key : SECRET_KEYS) {
            literal(file.root(), ConfigUtil.splitPath(key)).ifPresent(secrets::add);
        }
        try {
            if (!(file.root().get("exchanges") instanceof ConfigObject exchanges)) {
                return secrets;
            }
            for (ConfigValue venue : exchanges.values()) {
                if (!(venue instanceof ConfigObject fields)) {
                    continue;
                }
                for (String field : SECRET_FIELDS) {
                    ConfigValue v = fields.get(field);
                    if (v != null && v.valueType() == ConfigValueType.STRING && !((String) v.unwrapped()).isBlank()) {
                        secrets.add(((String) v.unwrapped()).strip());
                    }
                }
            }
        } catch (ConfigException.NotResolved e) {
            return secrets; // the rest are substitutions, whose values come from other layers
        }
        return secrets;
    }

    /** The non-blank string written literally at {@code path} under {@code root}, if any. */
    private static Optional<String> literal(ConfigObject root, List<String> path) {
        try {
            ConfigValue v = root;
            for (String name : path) {
                if (!(v instanceof ConfigObject object)) {
                    return Optional.empty();
                }
                v = object.get(name);
            }
            if (v != null && v.valueType() == ConfigValueType.STRING && !((String) v.unwrapped()).isBlank()) {
                return Optional.of(((String) v.unwrapped()).strip());
            }
            return Optional.empty();
        } catch (ConfigException.NotResolved e) {
            return Optional.empty(); // a substitution, whose value comes from another layer
        }
    }

    private static Config configFile(Path configFile, boolean explicit, Path base, Set<String> secrets) {
        Path path = base.resolve(configFile == null ? Path.of(DEFAULT_CONFIG_FILE) : configFile)
                .normalize();
        if (!Files.exists(path)) {
            if (explicit) {
                throw new ConfigError("config file not found: " + path);
            }
            return ConfigFactory.empty();
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigError("config file is not a regular file: " + path);
        }
        try {
            return ConfigFactory.parseFile(
                    path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError("invalid config file: " + scrub(e.getMessage(), secrets));
        }
    }

    /**
     * Resolves substitutions against the merged layers, then against the given environment,
     * and drops the environment's own keys again.
     */
    private static Config resolve(Config merged, Map<String, String> env, Set<String> secrets) {
        Map<String, String> source = new HashMap<>();
        env.forEach((k, v) -> {
            if (k != null && v != null) {
                source.put(k, v);
            }
        });
        try {
            Config resolved = merged.withFallback(ConfigValueFactory.fromMap(source, "environment variables")
                            .toConfig())
                    .resolve(ConfigResolveOptions.noSystem());
            ConfigObject root = resolved.root();
            for (String key : resolved.root().keySet()) {
                if (!merged.root().containsKey(key)) {
                    root = root.withoutKey(key);
                }
            }
            return root.toConfig();
        } catch (ConfigException e) {
            throw new ConfigError("invalid configuration: " + scrub(e.getMessage(), secrets));
        }
    }

    /** The message with every known secret value replaced, longest first. */
    private static String scrub(String message, Set<String> secrets) {
        List<String> longestFirst = new ArrayList<>(secrets);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        String out = message;
        for (String secret : longestFirst) {
            out = out.replace(secret, "****");
        }
        return out;
    }

    /** Every key of {@code actual} must exist in {@code known}; sections must stay objects. */
    private static void rejectUnknown(ConfigObject actual, ConfigObject known, String prefix) {
        for (String name : new TreeSet<>(actual.keySet())) {
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            ConfigValue value = actual.get(name);
            ConfigValue schema = known.get(name);
            String origin = value.origin().description();
            if (schema == null) {
                throw unknownKey(key, known.keySet(), name, origin);
            }
            if (schema.valueType() == ConfigValueType.OBJECT) {
                if (value.valueType() != ConfigValueType.OBJECT) {
                    throw new ConfigError(key + ": must be a section { ... }, got "
                            + ConfigReader.typeName(value.valueType()) + " (" + origin + ")");
                }
                rejectUnknown((ConfigObject) value, (ConfigObject) schema, key);
            }
        }
    }

    private static ConfigError unknownKey(String key, Set<String> siblings, String name, String origin) {
        String prefix = key.substring(0, key.length() - name.length());
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String sibling : new TreeSet<>(siblings)) {
            int d = distance(name, sibling);
            if (d < bestDistance) {
                best = sibling;
                bestDistance = d;
            }
        }
        String hint = best != null && bestDistance <= Math.max(1, name.length() / 4)
                ? ", did you mean " + prefix + best + "?"
                : "";
        return new ConfigError(key + ": unknown key" + hint + " (" + origin + ")");
    }

    /** Edit distance counting an adjacent swap as one edit (optimal string alignment). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The keys of {@code defaults.conf} that hold a value, sorted. */
    static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        collect(Defaults.CONFIG.root(), "", keys);
        return keys;
    }

    private static void collect(ConfigObject object, String prefix, List<String> out) {
        for (String name : new TreeSet<>(object.keySet())) {
            ConfigValue v = object.get(name);
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            if (v.valueType() == ConfigValueType.OBJECT) {
                collect((ConfigObject) v, key, out);
            } else {
                out.add(key);
            }
        }
    }
}
