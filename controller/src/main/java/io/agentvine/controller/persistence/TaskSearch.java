package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The task list's query: the filters that are set (state, type, repository, text), newest first, one
 * page at a time; the same SQL on H2 and PostgreSQL. The text matches a title case-insensitively
 * anywhere ({@code ILIKE}, served on PostgreSQL by the trigram index of V7) or a task id by its
 * beginning, with or without the {@code t-} every id starts with. Counting stops at a cap: an exact
 * count of a broad filter over many tasks costs more than the page itself.
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

    /** The rows {@code offset} to {@code offset + limit - 1} of the newest-first list. */
    public List<TaskRow> page(Filter filter, long offset, int limit) {
        Where w = where(filter);
        String sql = "SELECT * FROM tasks" + w.sql + ORDER + " LIMIT " + limit + " OFFSET " + offset;
        return query(sql, w.params, rs -> jdbc.readEntity(rs, TaskRow.class));
    }

    /** A matching task's id and stored state. */
    public record Match(String id, String state) {
    }

    /** The first {@code limit} matching tasks, newest first: id and state only. */
    public List<Match> matches(Filter filter, int limit) {
        Where w = where(filter);
        return query("SELECT id, state FROM tasks" + w.sql + ORDER + " LIMIT " + limit, w.params,
                rs -> new Match(rs.getString(1), rs.getString(2)));
    }

    /** The tasks among {@code ids} that exist: id and state. */
    public List<Match> states(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return query("SELECT id, state FROM tasks WHERE id IN (" + marks + ")", ids,
                rs -> new Match(rs.getString(1), rs.getString(2)));
    }

    /** How many tasks match, counting no further than {@code cap} (so the answer is at most {@code cap}). */
    public long countUpTo(Filter filter, long cap) {
        Where w = where(filter);
        List<Long> n = query("SELECT COUNT(*) FROM (SELECT 1 FROM tasks" + w.sql + " LIMIT " + cap + ") capped", w.params,
                rs -> rs.getLong(1));
        return n.get(0);
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<String> params, Row<T> row) {
        return jdbc.execute(connection -> run(connection, sql, params, row));
    }

    private static <T> List<T> run(Connection connection, String sql, List<String> params, Row<T> row) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
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

    private record Where(String sql, List<String> params) {
    }

    private static Where where(Filter f) {
        List<String> clauses = new ArrayList<>();
        List<String> params = new ArrayList<>();
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
        return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), params);
    }

    /** {@code text} with LIKE's wildcards and its escape character taken literally. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
