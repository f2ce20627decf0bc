package io.agentvine.worker.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A review's result: the agent's Markdown report and the findings in it — every list item that names
 * a location as {@code path:line} (optionally in backticks), the rest of the item as its text.
 */
public record ReviewReport(String markdown, List<Finding> findings) {
    public static final int MAX_REPORT_CHARS = 64 * 1024;
    private static final Pattern ITEM = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+(.*)$");
    private static final Pattern LOCATION = Pattern.compile("`?([\\w./@+-]*[\\w-]+\\.?[\\w]*):(\\d+)(?:[-:]\\d+)?`?\\s*[—:–-]*\\s*(.*)");

    public record Finding(String file, int line, String text) {
        public Map<String, Object> toMap() {
            return Map.of("file", file, "line", line, "text", text);
        }
    }

    public static ReviewReport parse(String markdown) {
        String text = markdown.length() > MAX_REPORT_CHARS ? markdown.substring(0, MAX_REPORT_CHARS) + "\n[… truncated]" : markdown;
        List<Finding> findings = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher item = ITEM.matcher(line);
            if (!item.matches()) {
                continue;
            }
            Matcher loc = LOCATION.matcher(item.group(1).replace("**", ""));
            if (loc.lookingAt()) {
                try {
                    findings.add(new Finding(loc.group(1), Integer.parseInt(loc.group(2)), loc.group(3).strip()));
                } catch (NumberFormatException tooLong) {
                    // a "line number" that does not fit an int is not a location
                }
            }
        }
        return new ReviewReport(text, List.copyOf(findings));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("report", markdown);
        m.put("findings", findings.stream().map(Finding::toMap).toList());
        return m;
    }
}
