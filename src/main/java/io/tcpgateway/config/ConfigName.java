package io.tcpgateway.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A setting's value as users write it in the configuration, and as the admin API shows it. */
public interface ConfigName {

    /** {@code echo}, {@code length-prefix}, ... */
    String configName();

    /** Every value of an enum of config names as users write them: {@code line, length-prefix, stx-etx}. */
    static String spellingsOf(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map((constant) -> ((ConfigName) constant).configName())
                .collect(Collectors.joining(", "));
    }
}
