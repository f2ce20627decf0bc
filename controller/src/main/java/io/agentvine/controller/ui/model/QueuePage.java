package io.agentvine.controller.ui.model;

import io.agentvine.controller.tasks.QueueView;
import java.util.List;

/**
 * The Queue page: the allowed task types (tabs), the one shown ({@code type}, null for all types with
 * anything in them) and each shown type's queue. {@code admin} decides whether actions are rendered.
 */
public record QueuePage(List<TypeTab> tabs, String type, List<QueueView> queues, boolean admin, List<String> priorities) {

    /** A type's tab: its name and how many orders wait in it; whether an operator paused it, whether a budget cap holds it. */
    public record TypeTab(String type, long waiting, boolean paused, boolean budgetPaused) {
    }

    /** The query string of this page's filter (to keep it in fragment URLs). */
    public String query() {
        return type == null ? "" : "?type=" + type;
    }
}
