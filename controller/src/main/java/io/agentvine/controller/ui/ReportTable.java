package io.agentvine.controller.ui;

import io.agentvine.controller.ui.model.CostsPage.Cell;
import io.agentvine.controller.ui.model.CostsPage.Header;
import io.agentvine.controller.ui.model.CostsPage.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One report's rows as a table of the Costs page, sorted on the server by a URL parameter: a column's
 * key for ascending, {@code -key} for descending; figures that cannot be computed (null) go last in
 * either direction. A heading links to the same page sorted by its column (descending first for
 * figures, ascending for names; the other way when it is the current order).
 *
 * @param <T> the report's row type
 */
final class ReportTable<T> {
    /**
     * A column: {@code value} is what it sorts by (null for "no figure"), {@code cell} what it shows;
     * with a {@code filter} (a URL parameter of the page) a cell links to the page filtered by its value.
     */
    record Column<T>(String key, String label, boolean numeric, Function<T, Comparable<?>> value, Function<T, Cell> cell,
                     String filter) {
        static <T> Column<T> figure(String key, String label, Function<T, Comparable<?>> value, Function<T, String> text) {
            return new Column<>(key, label, true, value, row -> new Cell(text.apply(row), true, null, null), null);
        }

        /** A name (text, sorted ascending first), shown as it is or {@code –}, linking to the page filtered by it. */
        static <T> Column<T> name(String key, String label, Function<T, String> value, String filter) {
            return new Column<>(key, label, false, value::apply, row -> {
                String v = value.apply(row);
                return new Cell(v == null ? "–" : v, false, null, v);
            }, filter);
        }

        Cell render(T row, CostsFilters filters) {
            Cell c = cell.apply(row);
            Comparable<?> v = value.apply(row);
            return filter == null || v == null ? c
                    : new Cell(c.text(), c.numeric(), filters.with(filter, v.toString()), "Only " + v);
        }
    }

    private final String id;
    private final String title;
    private final String sortParam;
    private final String defaultSort;
    private final List<Column<T>> columns;

    ReportTable(String id, String title, String defaultSort, List<Column<T>> columns) {
        this.id = id;
        this.title = title;
        this.sortParam = "sort_" + id;
        this.defaultSort = defaultSort;
        this.columns = List.copyOf(columns);
    }

    String sortParam() {
        return sortParam;
    }

    /** The table of {@code rows} in the order {@code sort} asks for (null: the default); an unknown order is named. */
    Table build(List<T> rows, String sort, CostsFilters filters) {
        String error = null;
        String order = sort == null ? defaultSort : sort;
        Column<T> by = column(order);
        if (by == null) {
            error = sortParam + ": must be one of " + columns.stream().map(Column::key).collect(Collectors.joining(", "))
                    + " (a leading - sorts descending), was '" + sort + "'";
            order = defaultSort;
            by = column(order);
        }
        boolean descending = order.startsWith("-");
        List<T> sorted = new ArrayList<>(rows);
        sorted.sort(comparator(by, descending));
        List<Header> headers = new ArrayList<>();
        for (Column<T> c : columns) {
            boolean current = c == by;
            boolean nextDescending = current ? !descending : c.numeric();
            headers.add(new Header(c.label(), c.key(), c.numeric(),
                    filters.with(sortParam, (nextDescending ? "-" : "") + c.key()),
                    current ? (descending ? "descending" : "ascending") : "none"));
        }
        List<List<Cell>> cells = sorted.stream().map(r -> columns.stream().map(c -> c.render(r, filters)).toList()).toList();
        return new Table(id, title, sortParam, headers, cells, error);
    }

    private Column<T> column(String order) {
        String key = order.startsWith("-") ? order.substring(1) : order;
        return columns.stream().filter(c -> c.key().equals(key)).findFirst().orElse(null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Comparator<T> comparator(Column<T> c, boolean descending) {
        Comparator<Comparable> natural = descending ? Comparator.<Comparable>reverseOrder() : Comparator.<Comparable>naturalOrder();
        return Comparator.comparing(row -> (Comparable) c.value().apply(row), Comparator.nullsLast(natural));
    }
}
