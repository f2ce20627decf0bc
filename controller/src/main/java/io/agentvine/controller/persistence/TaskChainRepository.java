package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** Chains and dependencies (V14): who continues whom, and which task waits for which. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TaskChainRepository extends CrudRepository<TaskChainRow, String> {

    /** Every task of a chain, first task first. */
    List<TaskChainRow> findByChainIdOrderByCreatedAt(String chainId);

    @Query("INSERT INTO task_dependencies (task_id, parent_id) VALUES (:taskId, :parentId)")
    void addDependency(String taskId, String parentId);

    @Query("DELETE FROM task_dependencies WHERE task_id = :taskId")
    void removeDependencies(String taskId);

    /** The tasks {@code taskId} waits for. */
    @Query("SELECT parent_id FROM task_dependencies WHERE task_id = :taskId ORDER BY parent_id")
    List<String> parentsOf(String taskId);

    /** The tasks that wait for {@code parentId}. */
    @Query("SELECT task_id FROM task_dependencies WHERE parent_id = :parentId ORDER BY task_id")
    List<String> dependentsOf(String parentId);

    /**
     * The dependencies of the oldest waiting tasks (at most {@code limit} tasks) with their parents' states, in one
     * read: a task without dependencies has one row with a null {@code parentId}. A task a budget holds
     * ({@code budget_holds}) is left out until its hold is lifted.
     */
    @Query("""
            SELECT w.id AS task_id, d.parent_id AS parent_id, p.state AS parent_state
            FROM (SELECT id FROM tasks WHERE state = 'waiting'
                  AND NOT EXISTS (SELECT 1 FROM budget_holds h WHERE h.task_id = tasks.id)
                  ORDER BY created_at, id LIMIT :limit) w
            LEFT JOIN task_dependencies d ON d.task_id = w.id
            LEFT JOIN tasks p ON p.id = d.parent_id
            ORDER BY w.id, d.parent_id""")
    List<ParentState> waitingParents(int limit);

    /** What the tasks of a chain cost so far (USD), every attempt counted. */
    @Query("SELECT COALESCE(SUM(t.cost_usd), 0) FROM tasks t JOIN task_chains c ON c.task_id = t.id WHERE c.chain_id = :chainId")
    double chainCost(String chainId);
}
