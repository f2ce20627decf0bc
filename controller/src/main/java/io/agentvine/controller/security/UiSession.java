package io.agentvine.controller.security;

/**
 * A signed-in browser: who ({@link Caller}), the stored id ({@code idHash}, the SHA-256 of the
 * cookie's value) and the CSRF token its pages carry. Kept in the request's authentication under
 * {@link #ATTRIBUTE}.
 */
public record UiSession(Caller caller, String idHash, String csrfToken) {
    public static final String ATTRIBUTE = "agentvine.ui-session";

    @Override
    public String toString() {
        return "UiSession[" + caller.keyName() + "]";
    }
}
