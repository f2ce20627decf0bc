package db.migration;

import io.agentvine.controller.reports.Rollups;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Coarser levels of the reports' rollups (issue #18, docs/performance.md "After V13"): a day over the hourly-only
 * rollups (models, types, type failures), 30 days over the daily ones (workers, repositories, repository failures),
 * and a rollup keyed by repository alone for the unfiltered repositories report (30 days, 5 days, day, 6 hours and
 * hour); each level a table of its own, filled from the runs there are by {@link Rollups}' statements (the ones
 * that keep every level up to date and rebuild it). V12's tables are left as they are.
 */
public class V13__report_rollup_levels extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Rollups.addLevels(context.getConnection(), 13);
    }
}
