package io.agentvine.controller.ui.model;

import java.util.List;

/**
 * The Costs page: the filters as given (all in the URL), the window's presets, the window it covers,
 * the headline figures, the daily series for the charts (JSON, read by costs.js), the report tables,
 * the choices the filter fields offer, and an error naming the parameter the server refused.
 *
 * @param chartJson {@code {"days":[epoch seconds…],"types":[…],"cost":[[…]…],"tasks":[[…]…]}}, one
 *                  array per type in both series; null when the window has no run
 */
public record CostsPage(Filters filters, List<Link> presets, String windowText, Headline headline, String chartJson,
                        List<Table> tables, List<String> types, List<String> models, List<String> repositories,
                        String errorField, String error) {

    /** What the URL asked for (null: not set); {@code hidden} carries the sort order through the filter form. */
    public record Filters(String window, String since, String until, String type, String repository, String model,
                          List<Field> hidden, String clearUrl) {
        public boolean any() {
            return window != null || since != null || until != null || type != null || repository != null || model != null;
        }
    }

    /** A form field carried as it is (name, value). */
    public record Field(String name, String value) {
    }

    /** A link of the page (a preset window, a sortable header), active when it is the current choice. */
    public record Link(String label, String href, boolean active) {
    }

    /** The window's figures, formatted. */
    public record Headline(String cost, String tokens, String tasks, String completed, String failed, String successRate,
                           String costPerCompletedTask, String runs) {
    }

    /**
     * One report as a table: {@code sortParam} is its URL parameter, {@code error} a refused sort order
     * (the table is shown in its default order then).
     */
    public record Table(String id, String title, String sortParam, List<Header> headers, List<List<Cell>> rows,
                        String error) {
    }

    /** A column's heading: a link that sorts by it; {@code sort} is ascending, descending or none (aria-sort). */
    public record Header(String label, String key, boolean numeric, String href, String sort) {
    }

    /** A cell's text (already formatted); {@code href} links it (to filter by it), {@code title} the full value. */
    public record Cell(String text, boolean numeric, String href, String title) {
    }

    public boolean hasRuns() {
        return chartJson != null;
    }
}
