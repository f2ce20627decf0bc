package io.agentvine.controller.persistence;

import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LifecycleEventRepository extends CrudRepository<LifecycleEventRow, String> {
    long countByTaskId(String taskId);

    /** The latest log location a worker reported for the task (the log location of a started event). */
    default Optional<String> findLogLocation(String taskId) {
        return findByTaskIdAndTypeOrderByAtDesc(taskId, "started").stream()
                .map(e -> Json.read(e.payload(), LifecycleEvent.class).logLocation())
                .filter(Objects::nonNull).findFirst();
    }

    List<LifecycleEventRow> findByTaskIdAndTypeOrderByAtDesc(String taskId, String type);
}
