package io.agentvine.controller.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.controller.chains.FollowUps;
import io.agentvine.controller.domain.DomainException;
import io.agentvine.controller.domain.QueueUnavailableException;
import io.agentvine.controller.persistence.GitHubDeliveryRepository;
import io.agentvine.controller.persistence.GitHubDeliveryRow;
import io.agentvine.controller.persistence.TaskChainRepository;
import io.agentvine.controller.persistence.TaskChainRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.tasks.FollowUpRequest;
import io.agentvine.controller.tasks.TaskCreated;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskRequestRules;
import io.agentvine.controller.tasks.TaskSubmission;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.TaskTypes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub webhook deliveries into tasks (README "Tasks from GitHub"). Each delivery is taken once (its
 * {@code X-GitHub-Delivery} recorded first; a redelivery does nothing; one that failed is forgotten so that
 * GitHub's redelivery tries again). From an admitted repository:
 * <ul>
 *   <li>{@code issues} labelled {@code agentvine:<type>} → a task of that type on the default branch, titled and
 *   instructed from the issue, its idempotency key from the issue and the type;</li>
 *   <li>{@code issue_comment} {@code /agentvine <type> [instructions]} by an allowed {@code author_association} →
 *   the same (others: nothing, logged);</li>
 *   <li>on a pull request the fleet opened (head branch {@code agentvine/<type>/<task>}): a review with changes
 *   requested or a review comment, both by an allowed {@code author_association}, a failed {@code check_run} or
 *   {@code check_suite} → a follow-up of the branch's latest task with the comments or the check's output, at most
 *   {@code max-auto-follow-ups} per pull request.</li>
 * </ul>
 * What the fleet's own login does never triggers anything; neither does an unknown event (202).
 */
@Singleton
public class GitHubIntake {
    private static final Logger log = LoggerFactory.getLogger(GitHubIntake.class);
    private static final Pattern WORK_BRANCH = Pattern.compile("agentvine/[A-Za-z0-9_-]+/(t-[A-Za-z0-9._:-]+)");
    private static final int MAX_TEXT = 20_000;
    /** A delivery still "taking" for longer than any handling takes: its taker died; a redelivery takes it over. */
    static final Duration TAKE_OVER_AFTER = Duration.ofMinutes(2);

    /** What became of a delivery: the HTTP status to answer and a line saying why. */
    public record Outcome(int status, String message, String taskId, String field) {
        Outcome(int status, String message, String taskId) {
            this(status, message, taskId, null);
        }

        static Outcome ignored(String why) {
            return new Outcome(202, why, null);
        }

        static Outcome refused(int status, String field, String why) {
            return new Outcome(status, why, null, field);
        }
    }

    private final GitHubSettings settings;
    private final AllowedRepositories repositories;
    private final GitHubDeliveryRepository deliveries;
    private final TaskSubmission submission;
    private final FollowUps followUps;
    private final TaskChainRepository chains;
    private final TaskRepository tasks;
    private final TaskTypes taskTypes;
    private final TaskRequestRules rules;
    private final GitHubApi github;
    private final Clock clock;

    public GitHubIntake(GitHubSettings settings, AllowedRepositories repositories, GitHubDeliveryRepository deliveries,
                        TaskSubmission submission, FollowUps followUps, TaskChainRepository chains, TaskRepository tasks,
                        TaskTypes taskTypes, TaskRequestRules rules, GitHubApi github, Clock clock) {
        this.settings = settings;
        this.repositories = repositories;
        this.deliveries = deliveries;
        this.submission = submission;
        this.followUps = followUps;
        this.chains = chains;
        this.tasks = tasks;
        this.taskTypes = taskTypes;
        this.rules = rules;
        this.github = github;
        this.clock = clock;
    }

    public boolean enabled() {
        return !settings.getWebhookSecret().isEmpty();
    }

    /** Checks the signature and takes the delivery (at most once). */
    public Outcome receive(String event, String deliveryId, String signature, byte[] body) {
        if (body.length > settings.getMaxBodyBytes()) {
            return Outcome.refused(413, "body", "the body is over " + settings.getMaxBodyBytes() + " bytes");
        }
        if (!WebhookSignature.valid(settings.getWebhookSecret(), body, signature)) {
            return Outcome.refused(401, "X-Hub-Signature-256", "X-Hub-Signature-256 does not match the body");
        }
        if (event == null || !event.matches("[a-z_]{1,64}")) {
            return Outcome.refused(400, "X-GitHub-Event", "X-GitHub-Event is required: the event's name");
        }
        if (deliveryId == null || !deliveryId.matches("[A-Za-z0-9-]{1,128}")) {
            return Outcome.refused(400, "X-GitHub-Delivery", "X-GitHub-Delivery is required: the delivery's id");
        }
        try {
            deliveries.save(new GitHubDeliveryRow(deliveryId, event, "taking", clock.instant()));
        } catch (RuntimeException seen) {
            Optional<GitHubDeliveryRow> before = deliveries.findById(deliveryId);
            if (before.isEmpty()) {
                throw seen;
            }
            if (!"taking".equals(before.get().outcome())) {
                return new Outcome(200, "delivery " + deliveryId + " was taken before; nothing done", null);
            }
            // Still being taken: by a request that runs (answered 409, so that the delivery shows as failed and can be
            // sent again), or by one whose controller died before it ended (taken over once that is certain).
            Instant was = before.get().receivedAt();
            if (was.isAfter(clock.instant().minus(TAKE_OVER_AFTER)) || deliveries.takeOver(deliveryId, was, clock.instant()) == 0) {
                return new Outcome(409, "delivery " + deliveryId + " is being taken by another request; send it again later", null);
            }
        }
        Outcome outcome;
        try {
            JsonNode payload = Json.readTree(new String(body, StandardCharsets.UTF_8));
            outcome = handle(event, payload);
        } catch (InvalidMessageException e) {
            outcome = Outcome.refused(400, "body", "the body is not JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            deliveries.deleteById(deliveryId); // GitHub's redelivery tries again
            throw e;
        }
        deliveries.updateOutcome(deliveryId, shorten(outcome.status() + " " + outcome.message(), 500));
        log.info("GitHub delivery {} ({}): {}", deliveryId, event, outcome.message());
        return outcome;
    }

    private Outcome handle(String event, JsonNode p) {
        String sender = p.path("sender").path("login").asText("");
        if (!settings.getBotLogin().isEmpty() && settings.getBotLogin().equalsIgnoreCase(sender)) {
            return Outcome.ignored("sent by the fleet's own login " + sender);
        }
        JsonNode repo = p.path("repository");
        String fullName = repo.path("full_name").asText(null);
        Optional<AllowedRepositories.Admitted> admitted = repositories.admit(fullName, repo.path("clone_url").asText(null));
        if (!List.of("issues", "issue_comment", "pull_request_review", "pull_request_review_comment", "check_run",
                "check_suite").contains(event)) {
            return Outcome.ignored("event " + event + " is not one the fleet takes");
        }
        if (admitted.isEmpty()) {
            return Outcome.ignored("repository " + fullName + " is not admitted (agentvine.github.repositories)");
        }
        String action = p.path("action").asText("");
        return switch (event) {
            case "issues" -> "labeled".equals(action) ? labeled(admitted.get(), p) : Outcome.ignored("issues " + action);
            case "issue_comment" -> "created".equals(action) ? comment(admitted.get(), p) : Outcome.ignored("issue_comment " + action);
            case "pull_request_review" -> !("submitted".equals(action)
                    && "changes_requested".equals(p.path("review").path("state").asText()))
                    ? Outcome.ignored("review " + action + " " + p.path("review").path("state").asText())
                    : untrusted(admitted.get(), "review", p.path("review"))
                            .orElseGet(() -> followUp(admitted.get(), repo, p.path("pull_request"), "The reviewer requested changes:\n\n"
                                    + p.path("review").path("body").asText(""), "review", "review:" + p.path("review").path("id").asText()));
            // the comments of one review and the review itself come as separate deliveries: one follow-up per review
            case "pull_request_review_comment" -> !"created".equals(action)
                    ? Outcome.ignored("review comment " + action)
                    : untrusted(admitted.get(), "review comment", p.path("comment"))
                            .orElseGet(() -> followUp(admitted.get(), repo, p.path("pull_request"), "A review comment on `"
                                    + p.path("comment").path("path").asText("?") + "` line " + p.path("comment").path("line").asText("?")
                                    + ":\n\n" + p.path("comment").path("body").asText(""), "review comment", "review:"
                                    + p.path("comment").path("pull_request_review_id").asText(p.path("comment").path("id").asText())));
            // every failed check of one commit (each check run, then its suite) comes as a delivery: one follow-up per commit
            case "check_run" -> "completed".equals(action) && failed(p.path("check_run").path("conclusion").asText())
                    ? checkFollowUp(admitted.get(), repo, p.path("check_run").path("pull_requests"), "The check '"
                            + p.path("check_run").path("name").asText() + "' failed (" + p.path("check_run").path("conclusion").asText()
                            + "):\n\n" + p.path("check_run").path("output").path("title").asText("") + "\n"
                            + p.path("check_run").path("output").path("summary").asText("") + "\n"
                            + p.path("check_run").path("output").path("text").asText(""), p.path("check_run").path("head_sha").asText())
                    : Outcome.ignored("check_run " + action + " " + p.path("check_run").path("conclusion").asText());
            case "check_suite" -> "completed".equals(action) && failed(p.path("check_suite").path("conclusion").asText())
                    ? checkFollowUp(admitted.get(), repo, p.path("check_suite").path("pull_requests"), "The checks of commit "
                            + p.path("check_suite").path("head_sha").asText("") + " failed ("
                            + p.path("check_suite").path("conclusion").asText() + ").", p.path("check_suite").path("head_sha").asText())
                    : Outcome.ignored("check_suite " + action + " " + p.path("check_suite").path("conclusion").asText());
            default -> Outcome.ignored("event " + event);
        };
    }

    private static boolean failed(String conclusion) {
        return List.of("failure", "timed_out", "action_required").contains(conclusion);
    }

    private Outcome labeled(AllowedRepositories.Admitted repo, JsonNode p) {
        String label = p.path("label").path("name").asText("");
        if (!label.startsWith(settings.getLabelPrefix())) {
            return Outcome.ignored("label " + label + " is not " + settings.getLabelPrefix() + "<type>");
        }
        JsonNode issue = p.path("issue");
        return task(repo, p, issue, label.substring(settings.getLabelPrefix().length()).trim(), issue.path("body").asText(""));
    }

    /**
     * A command, review or review comment is obeyed only from an allowed {@code author_association} (default OWNER,
     * MEMBER, COLLABORATOR): on a public repository anyone may comment or review, and each would be a paid run.
     */
    private Optional<Outcome> untrusted(AllowedRepositories.Admitted repo, String what, JsonNode authored) {
        String association = authored.path("author_association").asText("NONE");
        if (settings.getAllowedAssociations().contains(association)) {
            return Optional.empty();
        }
        log.info("GitHub: a {} on {} by {} ({}) not obeyed: the author is not one of {}", what, repo.fullName(),
                authored.path("user").path("login").asText(), association, settings.getAllowedAssociations());
        return Optional.of(Outcome.ignored("the " + what + "'s author is " + association + ", not one of "
                + settings.getAllowedAssociations()));
    }

    private Outcome comment(AllowedRepositories.Admitted repo, JsonNode p) {
        String body = p.path("comment").path("body").asText("").strip();
        if (!body.startsWith(settings.getCommand() + " ")) {
            return Outcome.ignored("a comment that is not a " + settings.getCommand() + " command");
        }
        Optional<Outcome> refused = untrusted(repo, settings.getCommand() + " comment", p.path("comment"));
        if (refused.isPresent()) {
            return refused.get();
        }
        String[] words = body.substring(settings.getCommand().length()).strip().split("\\s+", 2);
        JsonNode issue = p.path("issue");
        String instructions = (words.length > 1 ? words[1] + "\n\n" : "") + issue.path("body").asText("");
        return task(repo, p, issue, words[0], instructions);
    }

    private Outcome task(AllowedRepositories.Admitted repo, JsonNode p, JsonNode issue, String type, String instructions) {
        long number = issue.path("number").asLong();
        String canonical;
        try {
            canonical = taskTypes.require(type).name();
        } catch (InvalidMessageException e) {
            return Outcome.ignored("type '" + type + "' is not one the fleet runs");
        }
        String url = issue.path("html_url").asText("");
        TaskRequest req = new TaskRequest(canonical, repo.cloneUrl(), p.path("repository").path("default_branch").asText(null),
                shorten(issue.path("title").asText("GitHub issue #" + number), 200),
                shorten(instructions + "\n\nFrom GitHub issue " + repo.fullName() + "#" + number + " " + url, MAX_TEXT), null, null,
                null, null, null, null, "github:" + repo.fullName() + "#" + number + ":" + canonical, null,
                Map.of("github_repository", repo.fullName(), "github_issue", number));
        try {
            rules.check(req); // the API's and the dashboard's rules: limits, git hosts, no stray control characters
            TaskCreated created = submission.create(req);
            if (created.created()) {
                github.comment(repo, number, "AgentVine took this as " + canonical + " task `" + created.id() + "` ("
                        + created.state() + "). It comments here again when the task ends.");
            }
            return new Outcome(created.created() ? 201 : 200, (created.created() ? "task " : "already task ") + created.id(),
                    created.id());
        } catch (QueueUnavailableException e) {
            throw e; // the delivery is forgotten: GitHub's redelivery tries again
        } catch (DomainException | InvalidMessageException e) {
            return new Outcome(422, "no task: " + e.getMessage(), null);
        }
    }

    private Outcome checkFollowUp(AllowedRepositories.Admitted repo, JsonNode repository, JsonNode pulls, String text, String headSha) {
        if (!pulls.isArray() || pulls.isEmpty()) {
            return Outcome.ignored("a failed check of no pull request");
        }
        return followUp(repo, repository, pulls.get(0), text, "failed check", "checks:" + headSha);
    }

    /**
     * A follow-up of the latest task of the chain that opened pull request {@code pull} from its work branch — only a
     * pull request whose head is a branch of this repository (not a fork's branch named like one) and whose task works
     * on this repository. {@code trigger} names what asked for it (a review, a commit's checks): one follow-up each, at
     * most {@code max-auto-follow-ups} per pull request, whatever the deliveries' number and order.
     */
    private Outcome followUp(AllowedRepositories.Admitted repo, JsonNode repository, JsonNode pull, String text, String what,
                             String trigger) {
        long number = pull.path("number").asLong();
        String branch = pull.path("head").path("ref").asText(null);
        Matcher m = branch == null ? null : WORK_BRANCH.matcher(branch);
        Optional<TaskRow> task = m == null || !m.matches() ? Optional.empty() : tasks.findById(m.group(1));
        if (task.isEmpty()) {
            return Outcome.ignored("pull request #" + number + " is not one the fleet opened");
        }
        JsonNode headRepo = pull.path("head").path("repo").path("id");
        if (!headRepo.isIntegralNumber() || headRepo.asLong() != repository.path("id").asLong(-1)) {
            return Outcome.ignored("pull request #" + number + " comes from another repository (a fork's branch named like the fleet's)");
        }
        if (!repositories.sameRepository(repo, task.get().repositoryUrl())) {
            return Outcome.ignored("pull request #" + number + "'s branch names a task of another repository");
        }
        String pullKey = repo.fullName() + "#" + number;
        Instant now = clock.instant();
        deliveries.countFollowUps(pullKey, now);
        if (deliveries.takeFollowUp(pullKey, settings.getMaxAutoFollowUps(), now) == 0) {
            return Outcome.ignored("pull request " + pullKey + " had its " + settings.getMaxAutoFollowUps()
                    + " automatic follow-ups (max-auto-follow-ups)");
        }
        String chain = chains.findById(m.group(1)).map(TaskChainRow::chainId).orElse(m.group(1));
        List<TaskChainRow> members = chains.findByChainIdOrderByCreatedAt(chain);
        String latest = members.isEmpty() ? m.group(1) : members.get(members.size() - 1).taskId();
        boolean made = false;
        try {
            TaskCreated created = followUps.create(latest, new FollowUpRequest(shorten(text, MAX_TEXT),
                    shorten("Follow-up (" + what + ") of " + pullKey, 200), null, null, null, null, null, null,
                    shorten("github:" + pullKey + ":" + trigger, 200), null, null));
            if (!created.created()) {
                return new Outcome(200, "already follow-up " + created.id() + " (" + trigger + ")", created.id());
            }
            made = true;
            int had = deliveries.followUps(pullKey).orElse(settings.getMaxAutoFollowUps());
            github.comment(repo, number, "AgentVine follows up on the " + what + " with task `" + created.id() + "` ("
                    + had + " of at most " + settings.getMaxAutoFollowUps() + " automatic follow-ups).");
            return new Outcome(201, "follow-up " + created.id() + " of " + latest, created.id());
        } catch (QueueUnavailableException e) {
            throw e; // the delivery is forgotten: GitHub's redelivery tries again
        } catch (DomainException | InvalidMessageException e) {
            return new Outcome(422, "no follow-up: " + e.getMessage(), null);
        } finally {
            if (!made) {
                deliveries.giveBackFollowUp(pullKey, clock.instant()); // none made: the slot is free again
            }
        }
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
