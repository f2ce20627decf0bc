package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface GitHubDeliveryRepository extends CrudRepository<GitHubDeliveryRow, String> {
    void updateOutcome(@Id String deliveryId, String outcome);

    /**
     * A delivery still being taken since {@code was} passes to a new taker (its first taker died or failed without
     * forgetting it): 1 when this call took it over, 0 when another did or it ended meanwhile.
     */
    @Query("UPDATE github_deliveries SET received_at = :now WHERE delivery_id = :deliveryId AND outcome = 'taking'"
            + " AND received_at = :was")
    int takeOver(String deliveryId, Instant was, Instant now);

    /** Automatic follow-ups {@code pullKey} ({@code owner/repo#number}) has had. */
    @Query("SELECT follow_ups FROM github_pull_follow_ups WHERE pull_key = :pullKey")
    Optional<Integer> followUps(String pullKey);

    /** Makes the count of {@code pullKey} (at 0) if it has none. */
    @Query("INSERT INTO github_pull_follow_ups (pull_key, follow_ups, updated_at) VALUES (:pullKey, 0, :at) ON CONFLICT DO NOTHING")
    void countFollowUps(String pullKey, Instant at);

    /**
     * Takes one of {@code pullKey}'s {@code max} automatic follow-ups, atomically (concurrent deliveries never pass the
     * limit): 1 when taken, 0 when all are used.
     */
    @Query("UPDATE github_pull_follow_ups SET follow_ups = follow_ups + 1, updated_at = :at WHERE pull_key = :pullKey"
            + " AND follow_ups < :max")
    int takeFollowUp(String pullKey, int max, Instant at);

    /** Gives back a follow-up {@link #takeFollowUp taken} for one that was not made (or made before). */
    @Query("UPDATE github_pull_follow_ups SET follow_ups = follow_ups - 1, updated_at = :at WHERE pull_key = :pullKey"
            + " AND follow_ups > 0")
    void giveBackFollowUp(String pullKey, Instant at);
}
