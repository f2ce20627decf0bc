package io.agentvine.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart at {@code deploy/helm/agentvine}, rendered and linted by Helm itself (helm-java runs
 * Helm's Go code as a native library, no cluster and no helm binary): {@link #render} gives every
 * document of {@code helm template} with the given values over the chart's own.
 */
final class RenderedChart {
    static final Path CHART = Path.of("..", "deploy", "helm", "agentvine").toAbsolutePath().normalize();
    static final ObjectMapper YAML = new YAMLMapper();
    static final String RELEASE = "av";
    static final String NAMESPACE = "fleet";

    private RenderedChart() {
    }

    /** The documents of {@code helm template av CHART -n fleet -f <values>}, in order, comments and empty ones left out. */
    static List<JsonNode> render(Path tmp, Map<String, Object> values) {
        Path file = write(tmp.resolve("values-" + System.nanoTime() + ".yaml"), values);
        String out = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file).call();
        return documents(out);
    }

    /** The same, returning Helm's error message instead of documents (for values that must be refused). */
    static String renderError(Path tmp, Map<String, Object> values) {
        try {
            render(tmp, values);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("the chart rendered with " + values + " but should have refused it");
    }

    /**
     * {@code helm lint --strict} of a copy of the chart whose values.yaml is the chart's own with
     * {@code values} merged over it (helm-java's lint takes no values file).
     */
    static LintResult lint(Path tmp, Map<String, Object> values) {
        Path copy = tmp.resolve("lint-" + System.nanoTime()).resolve("agentvine");
        copyTree(CHART, copy);
        try {
            ObjectNode merged = (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
            merge(merged, YAML.valueToTree(values));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(yaml))) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private static void merge(ObjectNode into, JsonNode from) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode existing = into.get(f.getKey());
            if (existing instanceof ObjectNode o && f.getValue().isObject()) {
                merge(o, f.getValue());
            } else {
                into.set(f.getKey(), f.getValue());
            }
        }
    }

    private static Path write(Path file, Map<String, Object> values) {
        try {
            YAML.writeValue(file.toFile(), values);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
