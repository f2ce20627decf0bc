package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AttemptRepository extends CrudRepository<AttemptRow, Long> {
    /** One run: the attempt number alone is shared by runs of a recovered order (see V4__attempt_runs.sql). */
    Optional<AttemptRow> findByTaskIdAndAttemptAndWorkerId(String taskId, int attempt, String workerId);

    @Query("SELECT * FROM task_attempts WHERE task_id = :taskId ORDER BY attempt, id")
    List<AttemptRow> findByTaskIdOrderByAttemptAndId(String taskId);

    /** Runs that have not ended (a recovery ends them for their vanished worker). */
    List<AttemptRow> findByTaskIdAndEndedAtIsNull(String taskId);

    /** The task's state copied onto its runs (the reports count tasks by it without reading tasks). */
    @Query("UPDATE task_attempts SET task_state = :state WHERE task_id = :taskId AND task_state <> :state")
    void updateTaskState(String taskId, String state);
}
