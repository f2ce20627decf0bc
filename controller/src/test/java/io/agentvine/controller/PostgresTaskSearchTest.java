package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.persistence.TaskSearch;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

@MicronautTest
class PostgresTaskSearchTest extends TaskSearchContractTest {
    @Inject
    TaskSearch search;

    @Inject
    TransactionOperations<Connection> transactions;

    @Override
    protected Map<String, String> database() {
        return TestDatabases.postgres();
    }

    /**
     * The mechanism behind a rare word's fast page (docs/performance.md, "Task list search"): the driver keeps no
     * server-side prepared statement for the search however often it runs on a connection — so PostgreSQL never
     * switches to a generic plan, which cannot tell a rare word from a common one and walks the whole table.
     */
    @Test
    void the_search_is_planned_with_its_values_every_time() {
        TaskSearch.Filter rare = new TaskSearch.Filter(null, null, null, "zebra");
        transactions.executeRead(status -> {
            for (int i = 0; i < 10; i++) {
                search.page(rare, 0, 26);
                search.countUpTo(rare, 1001);
            }
            assertThat(count(status.getConnection(), "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM tasks%'"))
                    .as("named (reused, eventually generic) statements of the search on this connection").isZero();
            // The same loop without the setting leaves one: the test sees what it means to see.
            assertThat(countAfterDefaultPrepares(status.getConnection())).isPositive();
            return null;
        });
    }

    /** V11: the title index takes new titles at once (no pending list every search reads), and the list's order has an index. */
    @Test
    void the_title_index_has_no_pending_list_and_the_order_has_its_index() {
        transactions.executeRead(status -> {
            Connection c = status.getConnection();
            assertThat(count(c, "SELECT count(*) FROM pg_class WHERE relname = 'tasks_title_trgm' AND relnamespace = current_schema()::regnamespace"
                    + " AND 'fastupdate=off' = ANY(reloptions)")).isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'tasks_created_id'"
                    + " AND indexdef LIKE '%(created_at DESC, id DESC)%'")).isEqualTo(1);
            return null;
        });
    }

    private static long countAfterDefaultPrepares(Connection c) {
        try {
            for (int i = 0; i < 10; i++) {
                try (var ps = c.prepareStatement("SELECT id FROM tasks WHERE title ILIKE ? LIMIT 1")) {
                    ps.setString(1, "%zebra%");
                    ps.executeQuery().close();
                }
            }
            return count(c, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM tasks WHERE title ILIKE%'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
