package bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM flags of the gateway's image (JAVA_TOOL_OPTIONS in ../Dockerfile): servers under test run with them. */
final class ImageFlags {

    private static final Pattern OPTIONS = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"");

    private ImageFlags() {
    }

    static List<String> read() {
        try {
            Matcher matcher = OPTIONS.matcher(Files.readString(Path.of("..", "Dockerfile")));
            if (!matcher.find()) {
                throw new IllegalStateException("no JAVA_TOOL_OPTIONS in ../Dockerfile");
            }
            return Arrays.stream(matcher.group(1).trim().split("\\s+")).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("run the benchmark from bench/ (it reads ../Dockerfile)", ex);
        }
    }
}
