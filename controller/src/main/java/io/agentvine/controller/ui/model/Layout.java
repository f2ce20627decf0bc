package io.agentvine.controller.ui.model;

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

    public Layout withFlash(Flash f) {
        return new Layout(title, nav, keyName, role, admin, csrfToken, attentionCount, f);
    }

    /** The layout of a page nobody is signed in to (sign-in, an error before sign-in). */
    public static Layout anonymous(String title, Flash flash) {
        return new Layout(title, "", null, null, false, "", 0, flash);
    }
}
