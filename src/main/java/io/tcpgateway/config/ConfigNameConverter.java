package io.tcpgateway.config;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Reads a mode, a framing or a proxy-protocol setting as users write it ({@code echo},
 * {@code length-prefix}, {@code off}; case and {@code _} versus {@code -} do not matter, and a bare YAML
 * {@code off}, which YAML reads as {@code false}, is {@code off}), and refuses anything else with the spellings users write, where
 * Spring's own enum conversion would list the Java constants ({@code LENGTH_PREFIX}).
 */
public final class ConfigNameConverter<E extends Enum<E> & ConfigName> implements GenericConverter {

    private final Class<E> type;
    private final String what;

    public ConfigNameConverter(Class<E> type, String what) {
        this.type = type;
        this.what = what;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(String.class, type));
    }

    @Override
    public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String written = source.toString().strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (written.equals("false")) {
            written = "off"; // YAML 1.1 reads a bare `off` as the boolean false
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.configName().equals(written)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + source + "' is not a " + what + "; use one of: "
                + ConfigName.spellingsOf(type));
    }
}
