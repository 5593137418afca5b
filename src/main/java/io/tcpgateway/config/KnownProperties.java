package io.tcpgateway.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Every {@code gateway.*} property there is, read from the configuration records themselves (one home
 * for the fact: a component added to a record is known here at once), and whether a name someone wrote
 * is one of them in any of the spellings Spring Boot binds: {@code max-connections}, {@code maxConnections},
 * {@code MAXCONNECTIONS} or {@code MAX_CONNECTIONS} in an environment variable, {@code [0]} or {@code _0_}
 * for a listener's index. For one that is not, the nearest known property.
 */
final class KnownProperties {

    private static final Pattern INDEX = Pattern.compile("\\.(\\d+)(?=\\.|$)");

    /** A known property: its name as documented ({@code gateway.listeners[*].max-connections}) and how to match it. */
    private record Known(String name, Pattern pattern) {
    }

    private final List<Known> known = new ArrayList<>();

    private KnownProperties() {
    }

    /** The properties of {@link GatewayProperties}, under {@code gateway}. */
    static KnownProperties ofGateway() {
        KnownProperties properties = new KnownProperties();
        properties.walk(GatewayProperties.class, "gateway");
        return properties;
    }

    /** Whether {@code name} (a property name in any relaxed form, or an environment variable's name) is known. */
    boolean isKnown(String name) {
        String normalized = normalize(name);
        return known.stream().anyMatch((property) -> property.pattern().matcher(normalized).matches());
    }

    /** The known property nearest to {@code name}, with the listener index {@code name} used, or null. */
    @Nullable String nearest(String name) {
        String normalized = normalize(name);
        String plain = INDEX.matcher(normalized).replaceAll(".0");
        Known best = known.stream().min(Comparator.comparingInt((Known property) ->
                distance(plain, comparable(property.name())))).orElse(null);
        if (best == null || distance(plain, comparable(best.name())) > Math.max(3, plain.length() / 4)) {
            return null;
        }
        Matcher index = INDEX.matcher(normalized);
        return best.name().replace("[*]", "[" + (index.find() ? index.group(1) : "0") + "]");
    }

    /**
     * Whether {@code name} is a section holding known properties ({@code gateway.heartbeat}): a YAML section
     * left empty arrives as such a name with an empty value, and is no typo.
     */
    boolean isSection(String name) {
        String normalized = INDEX.matcher(normalize(name)).replaceAll(".0") + ".";
        return known.stream().anyMatch((property) -> comparable(property.name()).startsWith(normalized));
    }

    /** Every known name, as documented. */
    List<String> names() {
        return known.stream().map(Known::name).toList();
    }

    private void walk(Class<?> record, String prefix) {
        for (RecordComponent component : record.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            Class<?> type = component.getType();
            Type generic = component.getGenericType();
            if (type.isRecord()) {
                walk(type, name);
            }
            else if (List.class.isAssignableFrom(type) && argument(generic, 0) instanceof Class<?> element && element.isRecord()) {
                walk(element, name + "[*]");
            }
            else if (Map.class.isAssignableFrom(type)) {
                add(name + ".*");
            }
            else {
                add(name);
            }
        }
    }

    private static @Nullable Type argument(Type generic, int index) {
        return (generic instanceof ParameterizedType parameterized) ? parameterized.getActualTypeArguments()[index] : null;
    }

    /**
     * The matching pattern of a documented name: words of a dashed name may be run together or split (an
     * environment variable's underscores), {@code [*]} is any index, a map's {@code *} any key (or none, for
     * an empty map), and a list may be given whole or by index.
     */
    private void add(String name) {
        StringBuilder regex = new StringBuilder();
        String[] parts = name.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals("*")) {
                regex.append("(\\..+)?");
                continue;
            }
            if (i > 0) {
                regex.append("\\.");
            }
            boolean indexed = part.endsWith("[*]");
            String words = indexed ? part.substring(0, part.length() - 3) : part;
            regex.append(String.join("\\.?", words.split("-")));
            if (indexed) {
                regex.append("\\.\\d+");
            }
        }
        regex.append("(\\.\\d+)?"); // a list leaf given by index (trusted-proxies[0])
        known.add(new Known(name, Pattern.compile(regex.toString())));
    }

    /**
     * A name in the one form the patterns read: lower case, words separated by dots ({@code [0]} and an
     * environment variable's {@code _} become dots), dashes dropped.
     */
    static String normalize(String name) {
        StringBuilder normalized = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '.' || c == '_' || c == '[') {
                if (!normalized.isEmpty() && normalized.charAt(normalized.length() - 1) != '.') {
                    normalized.append('.');
                }
            }
            else if (c != ']' && c != '-') {
                normalized.append(c);
            }
        }
        int end = normalized.length();
        return (end > 0 && normalized.charAt(end - 1) == '.') ? normalized.substring(0, end - 1) : normalized.toString();
    }

    private static String comparable(String documented) {
        return normalize(documented.replace("[*]", ".0").replace(".*", ""));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
