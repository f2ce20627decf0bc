package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WorkerRepository extends CrudRepository<WorkerRow, String> {
    List<WorkerRow> findByDeregisteredAtIsNullOrderByRegisteredAt();

    List<WorkerRow> listOrderByRegisteredAt();

    /** The types served by workers that are registered and not stale (one small column, for routing notes). */
    @Query("SELECT worker_types FROM workers WHERE deregistered_at IS NULL AND health <> 'stale'")
    List<String> liveWorkerTypes();

    /** Registered workers at one health level (a gauge per level: {@code agentvine_workers}). */
    long countByHealthAndDeregisteredAtIsNull(String health);

    /**
     * Sets the command alone: a whole-row update from a row read a moment before would put back the status
     * and metrics a heartbeat flushed in between (on this replica or another).
     */
    @Query("UPDATE workers SET command = :command WHERE id = :id")
    void updateCommand(String id, String command);

    @Query("UPDATE workers SET completed_count = completed_count + 1 WHERE id = :id")
    void incrementCompleted(String id);

    @Query("UPDATE workers SET failed_count = failed_count + 1 WHERE id = :id")
    void incrementFailed(String id);
}
