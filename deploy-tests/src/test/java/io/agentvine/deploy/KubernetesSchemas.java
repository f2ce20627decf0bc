package io.agentvine.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates rendered documents offline, without a cluster: Kubernetes kinds against the fabric8
 * models (strict: a field the model does not know, or a value of the wrong type, lands in a model's
 * {@code additionalProperties}, which must stay empty everywhere), KEDA kinds against KEDA's CRD
 * schemas (src/test/resources/keda, closed as the API server's strict field validation is).
 */
final class KubernetesSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** RFC 1123 label: the most names here must be (Services, labels' values, container names). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Map<String, Schema> KEDA = Map.of(
            "ScaledObject", kedaSchema("scaledobject"),
            "ScaledJob", kedaSchema("scaledjob"),
            "TriggerAuthentication", kedaSchema("triggerauthentication"));

    private KubernetesSchemas() {
    }

    /** Every problem of {@code doc}, each naming the document and the path; empty when it is valid. */
    static List<String> problems(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        String kind = doc.path("kind").asText();
        String where = kind + " " + doc.path("metadata").path("name").asText("<no name>");
        List<String> problems = new ArrayList<>();
        String name = doc.path("metadata").path("name").asText("");
        if (!DNS_LABEL.matcher(name).matches()) {
            problems.add(where + ": metadata.name '" + name + "' is not an RFC 1123 label");
        }
        if (apiVersion.startsWith("keda.sh/")) {
            Schema schema = KEDA.get(kind);
            if (schema == null || !apiVersion.equals("keda.sh/v1alpha1")) {
                problems.add(where + ": no KEDA schema for " + apiVersion + " " + kind);
                return problems;
            }
            schema.validate(doc.toString(), InputFormat.JSON).forEach(e -> problems.add(where + ": " + e.getInstanceLocation() + " " + e.getMessage()));
            JsonNode job = doc.path("spec").path("jobTargetRef");
            if (!job.isMissingNode()) {
                checkModel(where + " spec.jobTargetRef", SERIALIZATION.unmarshal(job.toString(), JobSpec.class), problems);
            }
            return problems;
        }
        KubernetesResource resource;
        try {
            resource = SERIALIZATION.unmarshal(doc.toString());
        } catch (RuntimeException e) {
            StringBuilder why = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                why.append(t.getMessage()).append("; ");
            }
            problems.add(where + ": does not read as a Kubernetes object: " + why);
            return problems;
        }
        if (resource instanceof GenericKubernetesResource) {
            problems.add(where + ": " + apiVersion + " " + kind + " is no kind the Kubernetes models know");
            return problems;
        }
        checkModel(where, resource, problems);
        return problems;
    }

    /** Walks the model: every {@code additionalProperties} must be empty (an unknown field or a wrong type). */
    private static void checkModel(String where, Object model, List<String> problems) {
        walk(model, "", where, problems, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void walk(Object o, String path, String where, List<String> problems, Set<Object> seen) {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", where, problems, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, where, problems, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(where + ": " + (path.isEmpty() ? "" : path.substring(1) + ": ") + "unknown field(s) or wrong type(s) "
                            + extra.keySet() + " in " + o.getClass().getSimpleName());
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(value, path + "." + field, where, problems, seen);
        }
    }

    private static Schema kedaSchema(String name) {
        try (InputStream in = KubernetesSchemas.class.getResourceAsStream("/keda/" + name + ".schema.json")) {
            JsonNode schema = JSON.readTree(in);
            close(schema);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema.toString(), InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** additionalProperties: false on every object schema with properties that does not keep unknown fields. */
    private static void close(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties") && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(KubernetesSchemas::close);
        } else if (schema.isArray()) {
            schema.elements().forEachRemaining(KubernetesSchemas::close);
        }
    }
}
