package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The task list at any depth, and its title search without a backlog (issue #17, docs/performance.md
 * "Task list search"):
 * <ul>
 * <li>an index on {@code (created_at DESC, id DESC)}, the list's order: a page by key ("older than the last
 *   row", {@code TaskSearch.olderThan}) reads 26 entries of it wherever it starts, and no sort is needed on ties
 *   of {@code created_at}; it replaces V1's {@code tasks_created} on {@code created_at} alone;</li>
 * <li>PostgreSQL: the trigram index of titles ({@code tasks_title_trgm}, V7) without GIN's pending list
 *   ({@code fastupdate} off), and the list emptied now. With it on, new titles collect in an unordered list of
 *   up to 4 MB that every search reads through (about 500 pages, 7-55 ms for a word that matches ten titles);
 *   off, an insert updates the index at once (about 30 trigrams a title, at the rate tasks are created).</li>
 * </ul>
 * A Java migration because the second part exists only on PostgreSQL, and only where pg_trgm could be installed.
 */
public class V11__task_list_keyset extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX tasks_created_id ON tasks (created_at DESC, id DESC)");
            // Its prefix, created_at alone (V1), is redundant now: anything by creation time (the reports' queue wait)
            // reads the new one, and with both PostgreSQL took the old one and sorted ties of created_at itself.
            s.execute("DROP INDEX IF EXISTS tasks_created");
        }
        if (c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql") && trigramIndexExists(c)) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER INDEX tasks_title_trgm SET (fastupdate = off)");
                s.execute("SELECT gin_clean_pending_list('tasks_title_trgm'::regclass)");
            }
        }
    }

    private static boolean trigramIndexExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('tasks_title_trgm') IS NOT NULL")) {
            return r.next() && r.getBoolean(1);
        }
    }
}
