package io.tcpgateway.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The front door stays a front door: the README is short, the project stands alone (nothing points
 * outside the repository), and every relative link in the README and docs/ leads somewhere.
 */
class DocumentationTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void theReadmeIsShortAndTheLongStoriesLiveInDocs() throws IOException {
        assertThat(Files.readAllLines(Path.of("README.md"))).hasSizeLessThanOrEqualTo(250);
        assertThat(Path.of("docs", "contract.md")).exists();
    }

    @Test
    void everyRelativeLinkLeadsToAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path resolved = document.toAbsolutePath().getParent().resolve(target).normalize();
                if (!resolved.startsWith(Path.of("").toAbsolutePath()) || !Files.exists(resolved)) {
                    broken.add(document + " -> " + target);
                }
            }
        }
        assertThat(broken).as("links that lead nowhere or out of the repository").isEmpty();
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }
}
