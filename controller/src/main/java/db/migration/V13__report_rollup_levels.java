package db.migration;

import io.agentvine.controller.reports.Rollups;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Coarser levels of the reports' rollups (issue #18, docs/performance.md "After V13"): a day over the hourly-only
 * rollups (models, types, type failures), 30 days over the daily ones (workers, repositories, repository failures),
 * and, for the repositories' wide rows, 5 days and 6 hours between; each level a table of its own, filled from the
 * runs there are by {@link Rollups}' statements (the ones that keep every level up to date and rebuild it).
 */
public class V13__report_rollup_levels extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Rollups.addLevels(context.getConnection(), 13);
    }
}
