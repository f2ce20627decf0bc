package io.agentvine.controller.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** The dashboard's sign-in settings, {@code agentvine.ui.*}. */
@ConfigurationProperties("agentvine.ui")
public class UiSettings {
    private Duration sessionTtl = Duration.ofHours(12);
    private boolean secureCookie = false;
    private Duration sessionCheck = Duration.ofSeconds(10);

    /** How long a sign-in lasts ({@code AGENTVINE_UI_SESSION_TTL}, default 12h). */
    public Duration getSessionTtl() { return sessionTtl; }
    public void setSessionTtl(Duration v) { this.sessionTtl = v; }

    /**
     * How often an open event stream checks that the session it was opened with still holds
     * ({@code AGENTVINE_UI_SESSION_CHECK}, default 10s): a stream ends at most this long after a sign-out,
     * a revocation or the session's expiry, on whichever replica serves it.
     */
    public Duration getSessionCheck() { return sessionCheck; }
    public void setSessionCheck(Duration v) { this.sessionCheck = v; }

    /** Mark the session cookie {@code Secure} (set it when the dashboard is served over HTTPS). */
    public boolean isSecureCookie() { return secureCookie; }
    public void setSecureCookie(boolean v) { this.secureCookie = v; }
}
