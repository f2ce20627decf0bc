package io.agentvine.controller.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** The dashboard's sign-in settings, {@code agentvine.ui.*}. */
@ConfigurationProperties("agentvine.ui")
public class UiSettings {
    private Duration sessionTtl = Duration.ofHours(12);
    private boolean secureCookie = false;

    /** How long a sign-in lasts ({@code AGENTVINE_UI_SESSION_TTL}, default 12h). */
    public Duration getSessionTtl() { return sessionTtl; }
    public void setSessionTtl(Duration v) { this.sessionTtl = v; }

    /** Mark the session cookie {@code Secure} (set it when the dashboard is served over HTTPS). */
    public boolean isSecureCookie() { return secureCookie; }
    public void setSecureCookie(boolean v) { this.secureCookie = v; }
}
