package io.agentvine.queue;

import io.agentvine.model.WorkBranches;
import io.agentvine.model.WorkOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Repository locks (README "Repository locks"): never two running attempts on the same work branch, and at most
 * {@code maxRunningPerRepository} (or a repository's own limit) running orders of one repository. The enqueuer's
 * settings decide an order's locks at enqueue ({@link #fieldsOf}); the claim enforces them atomically in Redis.
 *
 * @param enabled                 false: orders are enqueued without locks (claims never pass one over)
 * @param maxRunningPerRepository running orders per repository; 0 = unlimited
 * @param repositoryLimits        per repository overrides, keyed by {@link WorkBranches#repositoryKey}
 */
public record RepositoryLocks(boolean enabled, int maxRunningPerRepository, Map<String, Integer> repositoryLimits) {
    public static final int UNLIMITED = 0;
    public static final RepositoryLocks DEFAULT = new RepositoryLocks(true, UNLIMITED, Map.of());

    public RepositoryLocks {
        if (maxRunningPerRepository < 0) {
            throw new IllegalArgumentException("max_running_per_repository must be a positive number (or empty for unlimited), was "
                    + maxRunningPerRepository);
        }
        Map<String, Integer> limits = new LinkedHashMap<>();
        (repositoryLimits == null ? Map.<String, Integer>of() : repositoryLimits).forEach((repo, limit) -> {
            if (repo == null || repo.isBlank()) {
                throw new IllegalArgumentException("repository_limits: a repository is empty");
            }
            if (limit == null || limit < 1) {
                throw new IllegalArgumentException("repository_limits: the limit of " + repo + " must be at least 1, was " + limit);
            }
            limits.put(WorkBranches.repositoryKey(repo), limit);
        });
        repositoryLimits = Map.copyOf(limits);
    }

    /**
     * Reads the settings as operators write them: {@code maxRunning} a number or empty (unlimited), {@code limits}
     * {@code repository=limit} pairs separated by commas, e.g. {@code github.com/acme/small=1,github.com/acme/big=4}.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static RepositoryLocks parse(boolean enabled, String maxRunning, String limits) {
        int max = UNLIMITED;
        if (maxRunning != null && !maxRunning.isBlank() && !maxRunning.strip().equalsIgnoreCase("unlimited")) {
            try {
                max = Integer.parseInt(maxRunning.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("max_running_per_repository must be a positive number (or empty for unlimited), was '"
                        + maxRunning + "'");
            }
            if (max < 1) {
                throw new IllegalArgumentException("max_running_per_repository must be a positive number (or empty for unlimited), was "
                        + max);
            }
        }
        Map<String, Integer> map = new LinkedHashMap<>();
        if (limits != null) {
            for (String pair : limits.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.lastIndexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("repository_limits: '" + pair.strip()
                            + "' is not repository=limit (e.g. github.com/acme/small=1)");
                }
                String value = pair.substring(eq + 1).strip();
                int limit;
                try {
                    limit = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("repository_limits: the limit of " + pair.substring(0, eq).strip()
                            + " must be a number, was '" + value + "'");
                }
                map.put(pair.substring(0, eq).strip(), limit);
            }
        }
        return new RepositoryLocks(enabled, max, map);
    }

    /** How many orders of the repository with key {@code repositoryKey} may run at once; {@link #UNLIMITED} = no limit. */
    public int limitOf(String repositoryKey) {
        return repositoryLimits.getOrDefault(repositoryKey, maxRunningPerRepository);
    }

    /** The lock fields of an order as enqueue.lua takes them: repository key, work branch, limit ('' = none). */
    String[] fieldsOf(WorkOrder order) {
        if (!enabled) {
            return new String[] {"", "", ""};
        }
        String repo = WorkBranches.repositoryKey(order.repositoryUrl());
        int limit = limitOf(repo);
        return new String[] {repo, WorkBranches.of(order), limit == UNLIMITED ? "" : Integer.toString(limit)};
    }
}
