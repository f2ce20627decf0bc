package io.agentvine.controller.budgets;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The budget tables (V18__budgets.sql), in plain SQL that H2 (PostgreSQL mode) and PostgreSQL both run. */
@Singleton
public class BudgetStore {
    /** A scope and its key. */
    public record ScopeKey(BudgetScope scope, String key) {
    }

    /** A task held by a budget. */
    public record Hold(String taskId, ScopeKey by) {
    }

    /** One run's spend on one day and the scopes it counts in. */
    public record Run(String attemptKey, LocalDate day, String taskId, String taskType, String repositoryKey,
                      String chainId) {
    }

    private final JdbcOperations jdbc;

    public BudgetStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds {@code spend} to {@code run}'s row of its day. Called where the lifecycle is applied, under the task's row
     * lock: a run's events are written one after the other, so the update-then-insert never races itself.
     */
    @Transactional
    public void add(Run run, Spend spend) {
        int n = update("UPDATE budget_spend SET usd = usd + ?, tokens = tokens + ? WHERE attempt_key = ? AND budget_day = ?",
                spend.usd(), spend.tokens(), run.attemptKey(), run.day());
        if (n == 0) {
            update("INSERT INTO budget_spend (attempt_key, budget_day, task_id, task_type, repository_key, chain_id, usd, tokens)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", run.attemptKey(), run.day(), run.taskId(), run.taskType(),
                    run.repositoryKey(), run.chainId(), spend.usd(), spend.tokens());
        }
    }

    /** What each daily scope spent on {@code day}: the fleet, every type and every repository that spent. */
    public Map<ScopeKey, Spend> daily(LocalDate day) {
        Map<ScopeKey, Spend> out = new HashMap<>();
        out.put(new ScopeKey(BudgetScope.FLEET, BudgetScope.FLEET_KEY), Spend.ZERO);
        for (Object[] r : query("SELECT task_type, repository_key, SUM(usd), SUM(tokens) FROM budget_spend WHERE budget_day = ?"
                + " GROUP BY task_type, repository_key", List.of(day), rs -> new Object[] {rs.getString(1), rs.getString(2),
                new Spend(rs.getDouble(3), rs.getLong(4))})) {
            Spend s = (Spend) r[2];
            out.merge(new ScopeKey(BudgetScope.FLEET, BudgetScope.FLEET_KEY), s, Spend::plus);
            out.merge(new ScopeKey(BudgetScope.TYPE, (String) r[0]), s, Spend::plus);
            out.merge(new ScopeKey(BudgetScope.REPO, (String) r[1]), s, Spend::plus);
        }
        return out;
    }

    /** What each chain that has a task not ended yet spent over its life, with its cost cap (the first task's row). */
    public Map<String, ChainSpend> openChains() {
        Map<String, ChainSpend> out = new HashMap<>();
        for (ChainSpend c : query("""
                SELECT o.chain_id, f.max_cost_usd, COALESCE(SUM(s.usd), 0), COALESCE(SUM(s.tokens), 0)
                FROM (SELECT DISTINCT c.chain_id FROM task_chains c JOIN tasks t ON t.id = c.task_id
                      WHERE t.state IN ('queued', 'waiting', 'delayed', 'running', 'awaiting_approval', 'parked')) o
                LEFT JOIN task_chains f ON f.task_id = o.chain_id
                LEFT JOIN budget_spend s ON s.chain_id = o.chain_id
                GROUP BY o.chain_id, f.max_cost_usd""", List.of(),
                rs -> new ChainSpend(rs.getString(1), (Double) rs.getObject(2) == null ? null : rs.getDouble(2),
                        new Spend(rs.getDouble(3), rs.getLong(4))))) {
            out.put(c.chainId(), c);
        }
        return out;
    }

    /** A chain's spend and its own cost cap (null: the configured default). */
    public record ChainSpend(String chainId, Double maxCostUsd, Spend spend) {
    }

    /** The operators' caps. */
    public Map<ScopeKey, Cap> overrides() {
        Map<ScopeKey, Cap> out = new HashMap<>();
        for (Object[] r : query("SELECT scope, scope_key, usd, tokens FROM budget_caps", List.of(), rs -> new Object[] {
                new ScopeKey(BudgetScope.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), rs.getString(2)),
                new Cap(rs.getObject(3) == null ? null : rs.getDouble(3), rs.getObject(4) == null ? null : rs.getLong(4))})) {
            out.put((ScopeKey) r[0], (Cap) r[1]);
        }
        return out;
    }

    @Transactional
    public void setCap(ScopeKey s, Cap cap, Instant at) {
        int n = update("UPDATE budget_caps SET usd = ?, tokens = ?, updated_at = ? WHERE scope = ? AND scope_key = ?",
                new Typed(cap.usd(), Types.DOUBLE), new Typed(cap.tokens(), Types.BIGINT), time(at), s.scope().wireName(), s.key());
        if (n == 0) {
            update("INSERT INTO budget_caps (scope, scope_key, usd, tokens, updated_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING", s.scope().wireName(), s.key(), new Typed(cap.usd(), Types.DOUBLE),
                    new Typed(cap.tokens(), Types.BIGINT), time(at));
        }
    }

    /** Records that {@code threshold} fired for the scope on {@code day}; false when it had (here or on another replica). */
    @Transactional
    public boolean fire(ScopeKey s, LocalDate day, int threshold, Instant at) {
        return update("INSERT INTO budget_alerts (scope, scope_key, budget_day, threshold, fired_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", s.scope().wireName(), s.key(), day, threshold, time(at)) == 1;
    }

    @Transactional
    public boolean resume(ScopeKey s, LocalDate day, Instant at) {
        return update("INSERT INTO budget_resumes (scope, scope_key, budget_day, resumed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                s.scope().wireName(), s.key(), day, time(at)) == 1;
    }

    /** The scopes an operator resumed for {@code day}. */
    public List<ScopeKey> resumed(LocalDate day) {
        return query("SELECT scope, scope_key FROM budget_resumes WHERE budget_day = ?", List.of(day), BudgetStore::scopeKey);
    }

    /** Holds {@code taskId} for {@code by}; false when it was held already. */
    @Transactional
    public boolean hold(String taskId, ScopeKey by, Instant at) {
        return update("INSERT INTO budget_holds (task_id, scope, scope_key, held_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                taskId, by.scope().wireName(), by.key(), time(at)) == 1;
    }

    @Transactional
    public void unhold(String taskId) {
        update("DELETE FROM budget_holds WHERE task_id = ?", taskId);
    }

    /** Every held task, oldest hold first. */
    public List<Hold> holds() {
        return query("SELECT scope, scope_key, task_id FROM budget_holds ORDER BY held_at, task_id", List.of(),
                rs -> new Hold(rs.getString(3), scopeKey(rs)));
    }

    /** Tasks of the scope in {@code state}, oldest first. */
    public List<String> tasksIn(ScopeKey s, String state, int limit) {
        if (s.scope() == BudgetScope.REPO) {
            // Tasks name their repository by URL, in whatever form; its key's last segment narrows the read in SQL, the
            // key itself decides.
            // A segment with a character a URL may carry escaped (the key holds it decoded: "my repo" for "My%20Repo")
            // does not narrow.
            String name = s.key().substring(s.key().lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
            String like = name.matches("[a-z0-9._~-]+") ? "%" + name + "%" : "%";
            List<String> out = new java.util.ArrayList<>();
            for (String[] t : query("SELECT t.id, t.repository_url FROM tasks t WHERE t.state = ? AND LOWER(t.repository_url) LIKE ?"
                    + " ORDER BY t.created_at, t.id", List.of(state, like), rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                if (out.size() < limit && sameRepository(t[1], s.key())) {
                    out.add(t[0]);
                }
            }
            return out;
        }
        String sql = switch (s.scope()) {
            case FLEET -> "SELECT t.id FROM tasks t WHERE ? = ? AND t.state = ?";
            case TYPE -> "SELECT t.id FROM tasks t WHERE t.type = ? AND t.state = ?";
            case REPO -> throw new IllegalStateException("read above");
            case CHAIN -> "SELECT t.id FROM tasks t JOIN task_chains c ON c.task_id = t.id WHERE c.chain_id = ? AND t.state = ?";
        };
        List<Object> params = s.scope() == BudgetScope.FLEET ? List.of(s.key(), s.key(), state) : List.of(s.key(), state);
        return query(sql + " ORDER BY t.created_at, t.id LIMIT " + limit, params, rs -> rs.getString(1));
    }

    private static boolean sameRepository(String url, String key) {
        try {
            return io.agentvine.model.WorkBranches.repositoryKey(url).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The chain {@code taskId} belongs to, or null. */
    public String chainOf(String taskId) {
        List<String> c = query("SELECT chain_id FROM task_chains WHERE task_id = ?", List.of(taskId), rs -> rs.getString(1));
        return c.isEmpty() ? null : c.get(0);
    }

    private static ScopeKey scopeKey(ResultSet rs) throws SQLException {
        return new ScopeKey(BudgetScope.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), rs.getString(2));
    }

    private static OffsetDateTime time(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    /** A parameter that may be null, with its SQL type (PostgreSQL wants the type of a null). */
    private record Typed(Object value, int sqlType) {
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, Row<T> row) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = prepare(c, sql, params.toArray())) {
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(row.read(rs));
                    }
                    return out;
                }
            }
        });
    }

    private int update(String sql, Object... params) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
            }
        });
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Typed t) {
                if (t.value() == null) {
                    ps.setNull(i + 1, t.sqlType());
                } else {
                    ps.setObject(i + 1, t.value());
                }
            } else if (params[i] == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
        return ps;
    }
}
