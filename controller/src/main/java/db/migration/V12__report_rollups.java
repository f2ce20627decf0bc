package db.migration;

import io.agentvine.controller.reports.Rollups;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The reports' rollups (issue #18, docs/performance.md "After V12"): a table per report of its figures added up
 * per UTC hour or day and its keys, and two marks on every run ({@code first_run}: the task's first run, where a
 * task is counted; {@code first_try}: an attempt's first run, where a retry is counted), then every rollup filled
 * from the runs there are — the statements are {@link Rollups}' own, the ones that keep the rollups up to date and
 * read a window's edges. A Java migration because the rollups' 140-odd columns are generated from one definition.
 */
public class V12__report_rollups extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Rollups.create(context.getConnection());
    }
}
