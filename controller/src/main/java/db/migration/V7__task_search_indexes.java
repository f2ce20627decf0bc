package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes for the task list's search (GET /api/v1/tasks, the dashboard's Tasks page): every filter
 * (state, type, repository) with the newest-first order, on H2 and PostgreSQL alike; on PostgreSQL also
 * a trigram index for the case-insensitive text search in titles ({@code title ILIKE '%…%'}, extension
 * pg_trgm) and a pattern index for the task id prefix ({@code id LIKE 'x%'}). A Java migration because
 * the trigram part exists only on PostgreSQL; where pg_trgm cannot be installed the search stays
 * correct, only slower, and a warning says so.
 */
public class V7__task_search_indexes extends BaseJavaMigration {
    private static final Logger log = LoggerFactory.getLogger(V7__task_search_indexes.class);

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            // (state, type, created_at) serves state alone and state + type; the old ones are prefixes of the new.
            s.execute("DROP INDEX tasks_state_type");
            s.execute("DROP INDEX tasks_repository");
            s.execute("CREATE INDEX tasks_state_type_created ON tasks (state, type, created_at)");
            s.execute("CREATE INDEX tasks_state_created ON tasks (state, created_at)");
            s.execute("CREATE INDEX tasks_type_created ON tasks (type, created_at)");
            s.execute("CREATE INDEX tasks_repository_created ON tasks (repository_url, created_at)");
        }
        if (c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgresql")) {
            postgres(c);
        }
    }

    private static void postgres(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX tasks_id_prefix ON tasks (id varchar_pattern_ops)");
            String schema = trigramSchema(c);
            if (schema == null) {
                log.warn("pg_trgm could not be installed: the task search by title works without an index (slower on many tasks)");
                return;
            }
            s.execute("CREATE INDEX tasks_title_trgm ON tasks USING gin (title \"" + schema.replace("\"", "\"\"")
                    + "\".gin_trgm_ops)");
        }
    }

    /** The schema pg_trgm lives in, installing it (in public if allowed, else in the current schema); null when it cannot be. */
    private static String trigramSchema(Connection c) throws SQLException {
        String found = installedIn(c);
        if (found != null) {
            return found;
        }
        for (String create : new String[] {"CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm"}) {
            Savepoint before = c.setSavepoint();
            try (Statement s = c.createStatement()) {
                s.execute(create);
                c.releaseSavepoint(before);
                return installedIn(c);
            } catch (SQLException e) {
                c.rollback(before);
                log.info("{}: {}", create, e.getMessage());
            }
        }
        return null;
    }

    private static String installedIn(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                     + " WHERE e.extname = 'pg_trgm'")) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
