package io.agentvine.controller.reports;

import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.input.Texts;
import io.agentvine.model.TaskTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * What a report covers: runs that started in {@code [since, until)} (a run whose start was never seen
 * counts by its end), optionally of one task type, one repository and one model.
 *
 * @param type       a task type's canonical name, or null for all
 * @param repository a repository URL as stored on its tasks, or null for all
 * @param model      a model name (the run's, else its task's), or null for all
 */
public record ReportQuery(Instant since, Instant until, String type, String repository, String model) {
    /** The window when the caller names neither end. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    /**
     * Reads the query parameters: {@code since} and {@code until} are ISO-8601 instants
     * ({@code 2026-11-02T08:00:00Z}) or dates ({@code 2026-11-02}: since from the start of that day, until
     * to its end, UTC); without {@code until} the window ends now, without {@code since} it starts 7 days
     * before {@code until}. Every bad value is refused naming its parameter.
     */
    public static ReportQuery parse(String since, String until, String type, String repository, String model,
                                    TaskTypes types, Clock clock) {
        Instant end = until == null ? clock.instant() : instant(until, "until", true);
        Instant start = since == null ? end.minus(DEFAULT_WINDOW) : instant(since, "since", false);
        if (start.isAfter(end)) {
            throw new InvalidInputException("since", "must not be after until (" + start + " > " + end + ")");
        }
        String typeName = type == null ? null : types.require(type).name();
        return new ReportQuery(start, end, typeName, Texts.line(repository, "repository", 2000),
                Texts.line(model, "model", 100));
    }

    private static Instant instant(String value, String field, boolean endOfDay) {
        String v = Texts.line(value, field, 40).strip();
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                if (day.getYear() < 1970 || day.getYear() > 9998) {
                    throw new InvalidInputException(field, "must lie between 1970 and 9998, was '" + value + "'");
                }
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant at = Instant.parse(v);
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                throw new InvalidInputException(field, "must lie between " + EARLIEST + " and " + LATEST + ", was '" + value + "'");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an ISO-8601 instant (2026-11-02T08:00:00Z) or a date "
                    + "(2026-11-02), was '" + value + "'");
        }
    }
}
