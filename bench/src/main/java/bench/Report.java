package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The comparison table (Markdown) and its bar chart (PNG): absolute figures and gateway/baseline ratios. */
final class Report {

    /** One compared figure. {@code higherIsBetter} decides the direction of the target. */
    record Row(String scenario, String metric, double gateway, double baseline, String unit, boolean higherIsBetter,
            double target) {

        double ratio() {
            return gateway / baseline;
        }

        boolean met() {
            return higherIsBetter ? ratio() >= target : ratio() <= target;
        }

        boolean hasTarget() {
            return !Double.isNaN(target);
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    void note(String note) {
        notes.add(note);
    }

    String markdown(String header) {
        StringBuilder out = new StringBuilder(header).append("\n\n");
        out.append("| scenario | measure | gateway | Netty baseline | gateway / Netty | target | met |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | :---: |\n");
        for (Row row : rows) {
            String target = row.hasTarget()
                    ? String.format(Locale.ROOT, "%s %.1f×", row.higherIsBetter() ? "≥" : "≤", row.target()) : "–";
            String met = row.hasTarget() ? (row.met() ? "yes" : "**no**") : "–";
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f× | %s | %s |%n", row.scenario(),
                    row.metric(), format(row.gateway(), row.unit()), format(row.baseline(), row.unit()), row.ratio(),
                    target, met));
        }
        for (String note : notes) {
            out.append("\n").append(note).append("\n");
        }
        return out.toString();
    }

    void chart(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(520)
                .title("tcp-gateway / plain Netty 4.2 (throughput: higher is better; latency, memory: lower is better)")
                .xAxisTitle("").yAxisTitle("gateway / Netty").build();
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setLabelsVisible(true);
        List<Row> targeted = rows.stream().filter(Row::hasTarget).toList();
        List<String> names = targeted.stream().map((row) -> row.scenario().replaceFirst(" \\(.*", "") + " " + row.metric())
                .toList();
        chart.addSeries("gateway / Netty", names, targeted.stream().map(Row::ratio).toList());
        chart.addSeries("target", names, targeted.stream().map(Row::target).toList());
        BitmapEncoder.saveBitmap(chart, png.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The rows as tab-separated values, so the chart can be drawn again without re-running ({@code bench chart}). */
    String csv() {
        StringBuilder out = new StringBuilder("scenario\tmetric\tgateway\tbaseline\tunit\thigherIsBetter\ttarget\n");
        for (Row row : rows) {
            out.append(String.join("\t", row.scenario(), row.metric(), String.valueOf(row.gateway()),
                    String.valueOf(row.baseline()), row.unit(), String.valueOf(row.higherIsBetter()),
                    String.valueOf(row.target()))).append('\n');
        }
        return out.toString();
    }

    static Report fromCsv(List<String> lines) {
        Report report = new Report();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            report.add(new Row(f[0], f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]), f[4],
                    Boolean.parseBoolean(f[5]), Double.parseDouble(f[6])));
        }
        return report;
    }

    static String format(double value, String unit) {
        return switch (unit) {
            case "/s" -> String.format(Locale.ROOT, "%,.0f/s", value);
            case "µs" -> String.format(Locale.ROOT, "%,.1f µs", value / 1000);
            case "KB" -> String.format(Locale.ROOT, "%,.1f KB", value / 1024);
            case "MB" -> String.format(Locale.ROOT, "%,.1f MB", value / 1024 / 1024);
            default -> String.format(Locale.ROOT, "%,.0f %s", value, unit);
        };
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
