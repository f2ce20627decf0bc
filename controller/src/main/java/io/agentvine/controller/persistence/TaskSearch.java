package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGStatement;

/**
 * The task list's query: the filters that are set (state, type, repository, text), newest first, one
 * page at a time; the same SQL on H2 and PostgreSQL. The text matches a title case-insensitively
 * anywhere ({@code ILIKE}, served on PostgreSQL by the trigram index of V7) or a task id by its
 * beginning, with or without the {@code t-} every id starts with. Counting stops at a cap: an exact
 * count of a broad filter over many tasks costs more than the page itself.
 *
 * <p>Pages go by offset ({@link #page}) or by key ({@link #olderThan}, {@link #newerThan}: the rows
 * after or before a row's {@code (created_at, id)}, served by V11's index on both): a key costs the same
 * at any depth, an offset reads every row it skips.
 *
 * <p>On PostgreSQL every statement here is planned with its values ({@code prepareThreshold} 0): a
 * generic plan, which the driver and the server switch to after five runs of the same SQL, cannot know
 * how many rows a word or a state matches and walks the whole table newest first for a rare word
 * (EXPLAIN in docs/performance.md, "Task list search").
 */
@Singleton
public class TaskSearch {
    private static final String ORDER = " ORDER BY created_at DESC, id DESC";

    private final JdbcOperations jdbc;

    public TaskSearch(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** What to match; a null field matches everything. {@code state} and {@code type} are the stored spellings. */
    public record Filter(@Nullable String state, @Nullable String type, @Nullable String repositoryUrl, @Nullable String text) {
        public static final Filter ALL = new Filter(null, null, null, null);
    }

    /** A row's place in the newest-first order: its creation time, then its id (ids are unique). */
    public record Key(Instant createdAt, String id) {
        public static Key of(TaskRow row) {
            return new Key(row.createdAt(), row.id());
        }
    }

    /** The rows {@code offset} to {@code offset + limit - 1} of the newest-first list. */
    public List<TaskRow> page(Filter filter, long offset, int limit) {
        Where w = where(filter, null, null);
        String sql = "SELECT * FROM tasks" + w.sql + ORDER + " LIMIT " + limit + " OFFSET " + offset;
        return query(sql, w.params, rs -> jdbc.readEntity(rs, TaskRow.class));
    }

    /** The first {@code limit} rows older than {@code key} in the newest-first list, newest first. */
    public List<TaskRow> olderThan(Filter filter, Key key, int limit) {
        Where w = where(filter, "<", key);
        return query("SELECT * FROM tasks" + w.sql + ORDER + " LIMIT " + limit, w.params, rs -> jdbc.readEntity(rs, TaskRow.class));
    }

    /** The {@code limit} rows just newer than {@code key} (the page before it), newest first. */
    public List<TaskRow> newerThan(Filter filter, Key key, int limit) {
        Where w = where(filter, ">", key);
        List<TaskRow> rows = query("SELECT * FROM tasks" + w.sql + " ORDER BY created_at, id LIMIT " + limit, w.params,
                rs -> jdbc.readEntity(rs, TaskRow.class));
        Collections.reverse(rows);
        return rows;
    }

    /** A matching task's id and stored state. */
    public record Match(String id, String state) {
    }

    /** The first {@code limit} matching tasks, newest first: id and state only. */
    public List<Match> matches(Filter filter, int limit) {
        Where w = where(filter, null, null);
        return query("SELECT id, state FROM tasks" + w.sql + ORDER + " LIMIT " + limit, w.params,
                rs -> new Match(rs.getString(1), rs.getString(2)));
    }

    /** The tasks among {@code ids} that exist: id and state. */
    public List<Match> states(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
        return query("SELECT id, state FROM tasks WHERE id IN (" + marks + ")", List.copyOf(ids),
                rs -> new Match(rs.getString(1), rs.getString(2)));
    }

    /** How many tasks match, counting no further than {@code cap} (so the answer is at most {@code cap}). */
    public long countUpTo(Filter filter, long cap) {
        Where w = where(filter, null, null);
        List<Long> n = query("SELECT COUNT(*) FROM (SELECT 1 FROM tasks" + w.sql + " LIMIT " + cap + ") capped", w.params,
                rs -> rs.getLong(1));
        return n.get(0);
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, Row<T> row) {
        return jdbc.execute(connection -> run(connection, sql, params, row));
    }

    private static <T> List<T> run(Connection connection, String sql, List<Object> params, Row<T> row) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (ps.isWrapperFor(PGStatement.class)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(0); // a plan for these values, never the generic one
            }
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.read(rs));
                }
                return out;
            }
        }
    }

    private record Where(String sql, List<Object> params) {
    }

    /** The filter's conditions, and with a {@code key} the rows {@code before} ("<": older, ">": newer) than it. */
    private static Where where(Filter f, String before, Key key) {
        List<String> clauses = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (f.state() != null) {
            clauses.add("state = ?");
            params.add(f.state());
        }
        if (f.type() != null) {
            clauses.add("type = ?");
            params.add(f.type());
        }
        if (f.repositoryUrl() != null) {
            clauses.add("repository_url = ?");
            params.add(f.repositoryUrl());
        }
        if (f.text() != null && !f.text().isBlank()) {
            String text = f.text().strip();
            String idPrefix = likeLiteral(text.toLowerCase(Locale.ROOT)); // ids are lower case
            StringBuilder or = new StringBuilder("(title ILIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\'");
            params.add("%" + likeLiteral(text) + "%");
            params.add(idPrefix + "%");
            if (!idPrefix.startsWith("t-")) {
                or.append(" OR id LIKE ? ESCAPE '\\'");
                params.add("t-" + idPrefix + "%");
            }
            clauses.add(or.append(')').toString());
        }
        if (key != null) {
            clauses.add("(created_at, id) " + before + " (?, ?)");
            params.add(OffsetDateTime.ofInstant(key.createdAt(), ZoneOffset.UTC));
            params.add(key.id());
        }
        return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), params);
    }

    /** {@code text} with LIKE's wildcards and its escape character taken literally. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
