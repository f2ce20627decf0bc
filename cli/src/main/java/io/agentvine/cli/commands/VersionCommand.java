package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.cli.CliException;
import io.agentvine.cli.Printer;
import io.agentvine.cli.Vine;
import io.agentvine.model.Json;
import java.net.http.HttpResponse;
import picocli.CommandLine.Command;

/**
 * {@code vine version}: the client's version (from its jar) and the server's API version (from its
 * OpenAPI document); the client's alone when the server cannot be reached.
 */
@Command(name = "version", description = "The client's and the server's versions.")
public final class VersionCommand extends ApiCommand {
    static final String OPENAPI = "/api/openapi/agentvine-controller-1.yml";

    @Override
    public Integer call() {
        ObjectNode v = Json.mapper().createObjectNode();
        String client = Vine.class.getPackage().getImplementationVersion();
        v.put("client", client == null ? "development build" : client);
        ObjectNode server = v.putObject("server");
        server.put("url", api().server().toString());
        try {
            HttpResponse<String> doc = api().raw(OPENAPI, false);
            JsonNode info = doc.statusCode() == 200 ? Printer.yamlTree(doc.body()).path("info") : null;
            server.put("api_version", info == null ? "unknown (" + doc.statusCode() + ")" : info.path("version").asText());
            if (info != null) {
                server.put("title", info.path("title").asText());
            }
        } catch (CliException unreachable) {
            server.put("error", unreachable.getMessage());
        }
        if (printer().structured()) {
            printer().data(v);
        } else {
            io().out().println("client  " + v.path("client").asText());
            io().out().println("server  " + server.path("url").asText() + "  "
                    + (server.has("error") ? server.get("error").asText() : "API " + server.path("api_version").asText()));
            io().out().flush();
        }
        return 0;
    }
}
