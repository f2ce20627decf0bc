package io.agentvine.controller.intake;

import io.agentvine.model.Json;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the controller says on GitHub: comments on issues and pull requests (REST, {@code POST
 * /repos/{owner}/{repo}/issues/{number}/comments}), with the token of the repository's rule. The token is read
 * from the environment variable the rule names (as Micronaut reads it: {@code AGENTVINE_GITHUB_TOKEN} is the
 * property {@code agentvine.github.token}); it is never logged.
 */
@Singleton
public class GitHubApi {
    private static final Logger log = LoggerFactory.getLogger(GitHubApi.class);

    private final GitHubSettings settings;
    private final Environment environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public GitHubApi(GitHubSettings settings, Environment environment) {
        this.settings = settings;
        this.environment = environment;
    }

    /** Posts {@code body} as a comment on issue or pull request {@code number}; false (logged) when it could not. */
    public boolean comment(AllowedRepositories.Admitted repo, long number, String body) {
        Optional<String> token = token(repo.tokenVariable());
        if (token.isEmpty()) {
            log.info("no token in {}: not commenting on {}#{}", repo.tokenVariable(), repo.fullName(), number);
            return false;
        }
        URI uri = URI.create(settings.getApiUrl().replaceAll("/+$", "") + "/repos/" + repo.fullName() + "/issues/" + number
                + "/comments");
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.get()).header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("body", body)))).build();
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                log.warn("comment on {}#{} refused: HTTP {}", repo.fullName(), number, res.statusCode());
                return false;
            }
            return true;
        } catch (IOException e) {
            log.warn("comment on {}#{} failed: {}", repo.fullName(), number, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Optional<String> token(String variable) {
        String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        return environment.getProperty(property, String.class).filter(t -> !t.isBlank())
                .or(() -> Optional.ofNullable(System.getenv(variable)).filter(t -> !t.isBlank()));
    }
}
