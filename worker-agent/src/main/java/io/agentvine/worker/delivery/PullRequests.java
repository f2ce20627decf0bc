package io.agentvine.worker.delivery;

import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.workspace.WorkspaceManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens pull requests through the GitHub REST API ({@code POST /repos/{owner}/{repo}/pulls}); the base
 * URL is configurable for GitHub Enterprise ({@code https://host/api/v3}) and Gitea
 * ({@code https://host/api/v1}, same route and body). The repository comes from the order's
 * {@code metadata.github_repository} ("owner/name") or else from its URL. The token goes only into the
 * Authorization header. Connecting and waiting for the reply each have the worker's network timeout
 * ({@code AGENTVINE_GIT_TIMEOUT}).
 */
public final class PullRequests {
    private static final Pattern OWNER_REPO = Pattern.compile("(?:[:/])([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\\.git)?/?$");

    /** A pull request that was opened. */
    public record Opened(String url, long number) {
    }

    private final URI apiBase;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /** With the default network timeout ({@link WorkspaceManager#DEFAULT_TIMEOUT}). */
    public PullRequests(URI apiBase, String token) {
        this(apiBase, token, WorkspaceManager.DEFAULT_TIMEOUT);
    }

    /** @param timeout how long connecting, and then waiting for the reply, may each take */
    public PullRequests(URI apiBase, String token, Duration timeout) {
        this.apiBase = apiBase.toString().endsWith("/") ? apiBase : URI.create(apiBase + "/");
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public boolean configured() {
        return token != null && !token.isBlank();
    }

    /** "owner/repo" of an order, from {@code metadata.github_repository} or its URL. */
    public static Optional<String> repository(WorkOrder order) {
        Object explicit = order.metadata().get("github_repository");
        if (explicit != null && explicit.toString().matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            return Optional.of(explicit.toString());
        }
        if (order.repositoryUrl().startsWith("file:")) {
            return Optional.empty();
        }
        Matcher m = OWNER_REPO.matcher(order.repositoryUrl());
        return m.find() ? Optional.of(m.group(1) + "/" + m.group(2)) : Optional.empty();
    }

    /** Opens a pull request of {@code head} into {@code base}. */
    public Opened open(String repository, String head, String base, String title, String body) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", title);
        json.put("head", head);
        json.put("base", base);
        json.put("body", body);
        json.put("maintainer_can_modify", true);
        HttpRequest req = HttpRequest.newBuilder(apiBase.resolve("repos/" + repository + "/pulls"))
                .timeout(timeout)
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "Bearer " + token)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "AgentVine-worker")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(json))).build();
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("no answer from " + apiBase.getAuthority() + " for " + timeout.toSeconds()
                    + " s (AGENTVINE_GIT_TIMEOUT) while opening the pull request");
        } catch (IOException e) {
            throw new DeliveryException("cannot reach " + apiBase + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while opening the pull request");
        }
        if (res.statusCode() != 201) {
            throw new DeliveryException("opening the pull request failed: " + res.statusCode() + " " + summary(res.body()));
        }
        try {
            Map<?, ?> pr = Json.read(res.body(), Map.class);
            return new Opened(String.valueOf(pr.get("html_url")), ((Number) pr.get("number")).longValue());
        } catch (InvalidMessageException | ClassCastException | NullPointerException e) {
            throw new DeliveryException("unexpected pull request reply: " + summary(res.body()));
        }
    }

    private static String summary(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    /** The pull request could not be opened; the branch is pushed, the message says why. */
    public static final class DeliveryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DeliveryException(String message) {
            super(message);
        }
    }
}
