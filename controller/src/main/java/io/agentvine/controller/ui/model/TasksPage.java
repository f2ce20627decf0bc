package io.agentvine.controller.ui.model;

import java.util.List;

/**
 * The Tasks page: the filters as given (all in the URL), one page of rows newest first, how many match
 * ({@code totalExact} false: at least {@code total}), the links to the neighbouring pages, the choices
 * of the filter selects, and an error naming a filter the server refused.
 */
public record TasksPage(Filters filters, List<TaskRowView> rows, int page, int size, long total, boolean totalExact,
                        boolean hasNext, String prevUrl, String nextUrl, String rowsUrl, List<String> states,
                        List<String> types, boolean admin, String errorField, String error) {

    /** The filters of the list; null or empty: not set. */
    public record Filters(String state, String type, String repository, String q) {
        public boolean any() {
            return state != null || type != null || repository != null || q != null;
        }
    }

    /** "37 tasks", "1000+ tasks". */
    public String totalText() {
        return total + (totalExact ? "" : "+") + (total == 1 && totalExact ? " task" : " tasks");
    }

    /** The first row's number on this page (1-based), for "21–40 of 95". */
    public long firstShown() {
        return rows.isEmpty() ? 0 : (long) page * size + 1;
    }

    public long lastShown() {
        return (long) page * size + rows.size();
    }
}
