package io.agentvine.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestProperties;
import io.agentvine.controller.persistence.UiSessionRepository;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A session found is used for up to a second without reading the database again (issue #17: fifty open
 * dashboards read it on every request); a sign-out ends it at once on this controller and within that second
 * on another replica; a change made to the row behind its back (an expiry, a revocation) counts after the
 * second. On the controller's H2 database, with a clock the test moves.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiSessionCacheTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-key-session-cache";

    @Inject
    UiSessions sessions;
    @Inject
    UiSessionRepository rows;
    @Inject
    ApiKeys keys;
    @Inject
    UiSettings settings;
    @Inject
    SettableClock clock;

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).noBackground().with("test.settable-clock", "true").build();
    }

    @Test
    void a_session_found_is_not_read_again_within_a_second_and_is_read_again_after_it() {
        UiSessions.Opened opened = sessions.signIn(ADMIN).orElseThrow();
        String cookie = opened.cookieValue();
        assertThat(sessions.find(cookie)).isPresent();

        // Revoked behind this controller's back (as another replica's sign-out writes it): the row says so now.
        rows.updateRevokedAt(opened.session().idHash(), clock.instant());
        clock.advance(Duration.ofMillis(900));
        assertThat(sessions.find(cookie)).as("remembered for a second: no read").isPresent()
                .hasValueSatisfying(s -> assertThat(s.csrfToken()).isEqualTo(opened.session().csrfToken()));

        clock.advance(Duration.ofMillis(100));
        assertThat(sessions.find(cookie)).as("after the second: read again, and it is revoked").isEmpty();
    }

    @Test
    void a_sign_out_ends_the_session_at_once_here_and_within_a_second_on_another_replica() {
        UiSessions other = new UiSessions(rows, keys, settings, clock); // a second controller on the same database
        String cookie = sessions.signIn(ADMIN).orElseThrow().cookieValue();
        assertThat(sessions.find(cookie)).isPresent();
        assertThat(other.find(cookie)).isPresent();

        sessions.revoke(sessions.find(cookie).orElseThrow());

        assertThat(sessions.find(cookie)).as("this controller forgets it at once").isEmpty();
        clock.advance(UiSessions.CACHE_FOR);
        assertThat(other.find(cookie)).as("the other replica within a second").isEmpty();
    }

    @Test
    void an_expired_session_ends_within_a_second_of_its_expiry_and_an_unknown_cookie_is_not_remembered() {
        String cookie = sessions.signIn(ADMIN).orElseThrow().cookieValue();
        clock.advance(settings.getSessionTtl().minusMillis(500));
        assertThat(sessions.find(cookie)).isPresent(); // read, remembered

        clock.advance(Duration.ofMillis(1000));
        assertThat(sessions.find(cookie)).as("expired 500 ms ago, remembered no longer").isEmpty();

        assertThat(sessions.find("no-such-session")).isEmpty();
        assertThat(sessions.find("no-such-session")).isEmpty();
    }
}
