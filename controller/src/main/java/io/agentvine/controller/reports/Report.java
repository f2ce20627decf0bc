package io.agentvine.controller.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One report: its window, the filters it was asked with (absent when not), and its rows.
 *
 * @param <T> the row type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report<T>(Instant since, Instant until, String type, String repository, String model, List<T> rows) {
    static <T> Report<T> of(ReportQuery q, List<T> rows) {
        return new Report<>(q.since(), q.until(), q.type(), q.repository(), q.model(), rows);
    }
}
