package io.agentvine.controller.ui;

import io.agentvine.controller.reports.ReportService.Parameters;
import io.agentvine.controller.ui.model.CostsPage;
import io.agentvine.model.InvalidMessageException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Costs page's URL: the window (a preset {@code window=24h|7d|30d}, or {@code since}/{@code until}
 * as the reports API reads them, which win when given; neither: the last 7 days), the filters
 * {@code type}, {@code repository}, {@code model}, and each table's sort order
 * ({@code sort_workers=-cost}: a column's key, {@code -} for descending). Blank values are "not set".
 */
record CostsFilters(String window, String since, String until, String type, String repository, String model,
                    Map<String, String> sorts) {
    /** The presets, in the order the page offers them. */
    static final Map<String, Duration> PRESETS = presets();
    static final String DEFAULT_PRESET = "7d";
    /** The tables' sort parameters. */
    static final List<String> SORT_PARAMS = List.of("sort_workers", "sort_models", "sort_types", "sort_repositories");

    private static Map<String, Duration> presets() {
        Map<String, Duration> p = new LinkedHashMap<>();
        p.put("24h", Duration.ofHours(24));
        p.put("7d", Duration.ofDays(7));
        p.put("30d", Duration.ofDays(30));
        return p;
    }

    static CostsFilters of(String window, String since, String until, String type, String repository, String model,
                           Map<String, String> sorts) {
        Map<String, String> s = new LinkedHashMap<>();
        for (String param : SORT_PARAMS) {
            String v = blankToNull(sorts.get(param));
            if (v != null) {
                s.put(param, v);
            }
        }
        return new CostsFilters(blankToNull(window), blankToNull(since), blankToNull(until), blankToNull(type),
                blankToNull(repository), blankToNull(model), s);
    }

    /** True when the window is given by since/until (they win over a preset). */
    boolean custom() {
        return since != null || until != null;
    }

    /** The preset in effect, or null when the window is custom. */
    String preset() {
        return custom() ? null : window == null ? DEFAULT_PRESET : window;
    }

    /**
     * The report parameters for a request at {@code now}: one instant for every report (an open end is
     * {@code now}, so all tables cover the same window). A preset other than the known ones is refused
     * naming {@code window}; since and until are checked by the reports themselves.
     */
    Parameters parameters(Instant now) {
        if (custom()) {
            return new Parameters(since, until == null ? now.toString() : until, type, repository, model);
        }
        Duration length = PRESETS.get(preset());
        if (length == null) {
            throw new InvalidMessageException("window", "must be one of " + String.join(", ", PRESETS.keySet())
                    + " (or give since and until), was '" + window + "'");
        }
        return new Parameters(now.minus(length).toString(), now.toString(), type, repository, model);
    }

    /** The page with one parameter changed (null removes it); the others as they are. */
    String with(String param, String value) {
        Map<String, String> p = params();
        p.put(param, value);
        if (param.equals("window")) {
            p.put("since", null);
            p.put("until", null);
        }
        return url(p);
    }

    /** The page without filters and window, keeping the tables' sort orders. */
    String cleared() {
        Map<String, String> p = new LinkedHashMap<>(sorts);
        return url(p);
    }

    /** The sort orders, as hidden fields of the filter form (so applying a filter keeps them). */
    List<CostsPage.Field> hiddenFields() {
        List<CostsPage.Field> fields = new ArrayList<>();
        if (!custom() && window != null) {
            fields.add(new CostsPage.Field("window", window));
        }
        sorts.forEach((k, v) -> fields.add(new CostsPage.Field(k, v)));
        return fields;
    }

    CostsPage.Filters view() {
        return new CostsPage.Filters(window, since, until, type, repository, model, hiddenFields(), cleared());
    }

    private Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("window", window);
        p.put("since", since);
        p.put("until", until);
        p.put("type", type);
        p.put("repository", repository);
        p.put("model", model);
        p.putAll(sorts);
        return p;
    }

    private static String url(Map<String, String> params) {
        StringBuilder s = new StringBuilder("/ui/costs");
        params.forEach((k, v) -> {
            if (v != null) {
                s.append(s.indexOf("?") < 0 ? '?' : '&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return s.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
