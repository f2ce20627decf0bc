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

    /** Automatic follow-ups {@code pullKey} ({@code owner/repo#number}) has had. */
    @Query("SELECT follow_ups FROM github_pull_follow_ups WHERE pull_key = :pullKey")
    Optional<Integer> followUps(String pullKey);

    @Query("INSERT INTO github_pull_follow_ups (pull_key, follow_ups, updated_at) VALUES (:pullKey, 1, :at)")
    void firstFollowUp(String pullKey, Instant at);

    @Query("UPDATE github_pull_follow_ups SET follow_ups = follow_ups + 1, updated_at = :at WHERE pull_key = :pullKey")
    void nextFollowUp(String pullKey, Instant at);
}
