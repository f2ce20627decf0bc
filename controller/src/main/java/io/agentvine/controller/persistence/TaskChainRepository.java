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
     * The dependencies of the oldest waiting tasks that can be decided now (at most {@code limit} tasks) with their
     * parents' states, in one read: a task without dependencies has one row with a null {@code parentId}. Decided
     * now: every parent ended, or one failed, was cancelled or is gone — a task still waiting for a parent is left
     * out, so however many wait for long-running parents, the ones behind them are not starved. A task a budget
     * holds ({@code budget_holds}) is left out until its hold is lifted.
     */
    @Query("""
            SELECT w.id AS task_id, d.parent_id AS parent_id, p.state AS parent_state
            FROM (SELECT id FROM tasks WHERE state = 'waiting'
                  AND NOT EXISTS (SELECT 1 FROM budget_holds h WHERE h.task_id = tasks.id)
                  AND (NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks p ON p.id = d.parent_id
                                   WHERE d.task_id = tasks.id AND p.state NOT IN ('completed', 'failed', 'dead', 'cancelled'))
                       OR EXISTS (SELECT 1 FROM task_dependencies d LEFT JOIN tasks p ON p.id = d.parent_id
                                  WHERE d.task_id = tasks.id AND (p.id IS NULL OR p.state IN ('failed', 'dead', 'cancelled'))))
                  ORDER BY created_at, id LIMIT :limit) w
            LEFT JOIN task_dependencies d ON d.task_id = w.id
            LEFT JOIN tasks p ON p.id = d.parent_id
            ORDER BY w.id, d.parent_id""")
    List<ParentState> waitingParents(int limit);

    /**
     * A task made on its own becomes the first of a chain: what it spent so far counts for the chain's budget too
     * (its spend rows were written before the chain existed).
     */
    @Query("UPDATE budget_spend SET chain_id = :chainId WHERE task_id = :taskId AND chain_id IS NULL")
    void chainSpend(String taskId, String chainId);

    /** What the tasks of a chain cost so far (USD), every attempt counted. */
    @Query("SELECT COALESCE(SUM(t.cost_usd), 0) FROM tasks t JOIN task_chains c ON c.task_id = t.id WHERE c.chain_id = :chainId")
    double chainCost(String chainId);
}
