package io.agentvine.controller.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LifecycleEventRepository extends CrudRepository<LifecycleEventRow, String> {
    long countByTaskId(String taskId);

    /** The latest log location a worker reported for the task (metadata.log_location of a started event). */
    default java.util.Optional<String> findLogLocation(String taskId) {
        return findByTaskIdAndTypeOrderByAtDesc(taskId, "started").stream()
                .map(e -> io.agentvine.model.Json.read(e.payload(), io.agentvine.model.LifecycleEvent.class).metadata().get("log_location"))
                .filter(java.util.Objects::nonNull).map(Object::toString).findFirst();
    }

    java.util.List<LifecycleEventRow> findByTaskIdAndTypeOrderByAtDesc(String taskId, String type);
}
