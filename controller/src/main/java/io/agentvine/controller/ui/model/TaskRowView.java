package io.agentvine.controller.ui.model;

/** One row of the Tasks list; times already formatted ({@code createdAt} is the ISO instant for a tooltip). */
public record TaskRowView(String id, String title, String type, String state, String priority, String repository,
                          int attempts, String worker, String created, String createdAt, String updated) {
    /** The short id shown in the list: {@code t-1a2b3c4d}. */
    public String shortId() {
        return id.length() > 10 ? id.substring(0, 10) : id;
    }
}
