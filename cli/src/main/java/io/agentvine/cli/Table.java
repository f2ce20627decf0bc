package io.agentvine.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders rows as aligned columns that fit a width: while the table is too wide, the widest column
 * but the first (ids are copied from it) gives up a character, down to a few; cells that no longer
 * fit end in an ellipsis.
 */
public final class Table {
    private static final int GAP = 2;
    private static final int MIN = 5;

    private Table() {
    }

    public static List<String> render(List<String> headers, List<List<String>> rows, int width, boolean bold) {
        int n = headers.size();
        int[] w = new int[n];
        for (int c = 0; c < n; c++) {
            w[c] = headers.get(c).length();
            for (List<String> row : rows) {
                w[c] = Math.max(w[c], oneLine(row.get(c)).length());
            }
        }
        while (total(w) > width) {
            // The first column (an id, to copy) keeps its width; the widest of the others gives way.
            int widest = n > 1 ? 1 : 0;
            for (int c = 2; c < n; c++) {
                if (w[c] > w[widest]) {
                    widest = c;
                }
            }
            if (w[widest] <= MIN) {
                break;
            }
            w[widest]--;
        }
        List<String> lines = new ArrayList<>();
        String header = line(headers, w);
        lines.add(bold ? "\u001b[1m" + header + "\u001b[0m" : header);
        rows.forEach(row -> lines.add(line(row, w)));
        return lines;
    }

    private static int total(int[] w) {
        int t = GAP * (w.length - 1);
        for (int x : w) {
            t += x;
        }
        return t;
    }

    private static String line(List<String> cells, int[] w) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < w.length; c++) {
            String cell = fit(oneLine(cells.get(c)), w[c]);
            b.append(cell);
            if (c < w.length - 1) {
                b.append(" ".repeat(w[c] - cell.length() + GAP));
            }
        }
        return b.toString().stripTrailing();
    }

    static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "…";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
