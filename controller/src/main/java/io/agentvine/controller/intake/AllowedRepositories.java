package io.agentvine.controller.intake;

import io.agentvine.model.WorkBranches;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The repositories tasks may come from ({@link GitHubSettings#getRepositories()}), first match wins. */
@Singleton
public class AllowedRepositories {
    /** A repository admitted: where to clone it, which variable holds the token to comment with. */
    public record Admitted(String fullName, String cloneUrl, String tokenVariable) {
    }

    private record Rule(Pattern pattern, String cloneUrl, String tokenVariable) {
    }

    private final List<Rule> rules = new ArrayList<>();

    public AllowedRepositories(GitHubSettings settings) {
        for (String entry : settings.getRepositories()) {
            if (entry == null || entry.isBlank()) {
                continue; // AGENTVINE_GITHUB_REPOSITORIES unset
            }
            String[] parts = entry.trim().split("=", 3);
            if (parts[0].isBlank() || !parts[0].contains("/")) {
                throw new IllegalArgumentException("agentvine.github.repositories: '" + entry
                        + "' is not owner/repo-pattern=clone-url-template[=TOKEN_VARIABLE]");
            }
            Pattern p = Pattern.compile(Pattern.quote(parts[0].trim().toLowerCase()).replace("*", "\\E[A-Za-z0-9._-]*\\Q"));
            rules.add(new Rule(p, parts.length > 1 ? parts[1].trim() : "",
                    parts.length > 2 && !parts[2].isBlank() ? parts[2].trim() : "AGENTVINE_GITHUB_TOKEN"));
        }
    }

    /**
     * The rule admitting {@code fullName} for a comment only: its clone URL is the rule's own, or a placeholder when
     * the rule takes the URL from a payload (a comment needs the repository's name and token, not its URL).
     */
    public Optional<Admitted> admitForComment(String fullName) {
        return admit(fullName, "");
    }

    /**
     * Does a task on {@code repositoryUrl} work on the admitted repository? Its key is the key of the clone URL the
     * intake gives that repository's tasks, or (no clone URL of the rule's own) ends in its {@code owner/repo}; GitHub's
     * paths are case-blind.
     */
    public boolean sameRepository(Admitted repo, String repositoryUrl) {
        try {
            String key = WorkBranches.repositoryKey(repositoryUrl).toLowerCase(Locale.ROOT);
            return repo.cloneUrl().isEmpty() ? key.endsWith("/" + repo.fullName().toLowerCase(Locale.ROOT))
                    : key.equals(WorkBranches.repositoryKey(repo.cloneUrl()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /** The rule admitting {@code fullName} ({@code owner/repo}), with its clone URL ({@code payloadCloneUrl} by default). */
    public Optional<Admitted> admit(String fullName, String payloadCloneUrl) {
        if (fullName == null || !fullName.matches("[A-Za-z0-9._-]+/[A-Za-z0-9._-]+")) {
            return Optional.empty();
        }
        String[] or = fullName.split("/");
        for (Rule r : rules) {
            if (r.pattern().matcher(fullName.toLowerCase()).matches()) {
                String url = r.cloneUrl().isEmpty() ? payloadCloneUrl : r.cloneUrl().replace("{owner}", or[0]).replace("{repo}", or[1]);
                return url == null ? Optional.empty() : Optional.of(new Admitted(fullName, url, r.tokenVariable()));
            }
        }
        return Optional.empty();
    }
}
