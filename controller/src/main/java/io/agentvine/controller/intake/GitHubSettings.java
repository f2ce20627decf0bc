package io.agentvine.controller.intake;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks from GitHub, {@code agentvine.github.*} (README "Tasks from GitHub"). Nothing is taken while
 * {@code webhook-secret} is empty: the webhook answers 404 then.
 */
@ConfigurationProperties("agentvine.github")
public class GitHubSettings {
    private String webhookSecret = "";
    private String labelPrefix = "agentvine:";
    private String command = "/agentvine";
    private List<String> allowedAssociations = new ArrayList<>(List.of("OWNER", "MEMBER", "COLLABORATOR"));
    private String apiUrl = "https://api.github.com";
    private int maxBodyBytes = 1_000_000;
    private int maxAutoFollowUps = 3;
    private String botLogin = "";
    private List<String> repositories = new ArrayList<>();

    /** The webhook's secret ({@code AGENTVINE_GITHUB_WEBHOOK_SECRET}); every delivery's signature is checked with it. */
    public String getWebhookSecret() { return webhookSecret; }
    public void setWebhookSecret(String v) { this.webhookSecret = v == null ? "" : v; }

    /** An issue labelled {@code <prefix><type>} becomes a task of that type (default {@code agentvine:}). */
    public String getLabelPrefix() { return labelPrefix; }
    public void setLabelPrefix(String v) { this.labelPrefix = v; }

    /** A comment {@code <command> <type> [instructions]} becomes a task (default {@code /agentvine}). */
    public String getCommand() { return command; }
    public void setCommand(String v) { this.command = v; }

    /** Whose comments are obeyed: their {@code author_association} (default OWNER, MEMBER, COLLABORATOR). */
    public List<String> getAllowedAssociations() { return allowedAssociations; }
    public void setAllowedAssociations(List<String> v) { this.allowedAssociations = v; }

    /** GitHub's REST API ({@code AGENTVINE_GITHUB_API_URL}; GitHub Enterprise: {@code https://host/api/v3}). */
    public String getApiUrl() { return apiUrl; }
    public void setApiUrl(String v) { this.apiUrl = v; }

    /** A delivery's body may be at most this long (bytes); a longer one is refused with 413. */
    public int getMaxBodyBytes() { return maxBodyBytes; }
    public void setMaxBodyBytes(int v) { this.maxBodyBytes = v; }

    /** Follow-ups a pull request the fleet opened gets from reviews and failed checks, at most (default 3). */
    public int getMaxAutoFollowUps() { return maxAutoFollowUps; }
    public void setMaxAutoFollowUps(int v) { this.maxAutoFollowUps = v; }

    /** The fleet's own GitHub login: what it does (comments, labels) never triggers anything. */
    public String getBotLogin() { return botLogin; }
    public void setBotLogin(String v) { this.botLogin = v == null ? "" : v; }

    /**
     * The repositories admitted, each {@code owner/repo-pattern=clone-url-template[=TOKEN_VARIABLE]}: a pattern with
     * {@code *} (e.g. {@code acme/*}), the clone URL ({@code {owner}} and {@code {repo}} replaced; empty: the
     * payload's {@code clone_url}) and the environment variable holding the token the controller comments with
     * (default {@code AGENTVINE_GITHUB_TOKEN}).
     */
    public List<String> getRepositories() { return repositories; }
    public void setRepositories(List<String> v) { this.repositories = v; }
}
