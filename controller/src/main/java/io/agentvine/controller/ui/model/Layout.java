package io.agentvine.controller.ui.model;

import io.agentvine.controller.history.EventGroup;

/**
 * What {@code layout.jte} needs on every page: the title, the active nav entry ({@code fleet},
 * {@code queue}, {@code tasks}, {@code costs}, {@code attention}, {@code new}), who is signed in, the CSRF token (in a
 * meta tag, sent by app.js on every htmx request), the attention count and a flash message.
 */
public record Layout(String title, String nav, String keyName, String role, boolean admin, String csrfToken,
                     long attentionCount, Flash flash) {

    public boolean signedIn() {
        return keyName != null;
    }

    /**
     * The page's event stream (app.js opens it): only the groups the page shows — its own and the attention
     * badge's — so a page is not woken by events it ignores; the Fleet page's stream carries its cards too;
     * {@code null} when nobody is signed in.
     */
    public String eventsUrl() {
        if (!signedIn()) {
            return null;
        }
        if ("fleet".equals(nav)) {
            return "/ui/fleet/stream"; // the attention events and the cards, pushed (ui.FleetCardsFeed)
        }
        EventGroup own = switch (nav == null ? "" : nav) {
            case "queue" -> EventGroup.QUEUE;
            case "tasks" -> EventGroup.TASKS; // the list and a task's page
            default -> null; // attention, new task, an error page: the badge only
        };
        String attention = EventGroup.ATTENTION.wireName();
        return "/api/v1/events?groups=" + (own == null ? attention : own.wireName() + "," + attention);
    }

    public Layout withFlash(Flash f) {
        return new Layout(title, nav, keyName, role, admin, csrfToken, attentionCount, f);
    }

    /** The layout of a page nobody is signed in to (sign-in, an error before sign-in). */
    public static Layout anonymous(String title, Flash flash) {
        return new Layout(title, "", null, null, false, "", 0, flash);
    }
}
