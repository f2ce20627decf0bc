package io.agentvine.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.history.EventGroup;
import io.agentvine.controller.ui.model.Layout;
import org.junit.jupiter.api.Test;

/** Each page streams only the event groups it shows, and the attention badge's on every page. */
class LayoutEventsTest {
    private static Layout signedIn(String nav) {
        return new Layout("t", nav, "admin-1", "admin", true, "csrf", 0, null);
    }

    @Test
    void a_page_streams_its_own_group_and_attention_and_nothing_when_nobody_is_signed_in() {
        assertThat(signedIn("fleet").eventsUrl()).isEqualTo("/ui/fleet/stream"); // the badge's events and the cards
        assertThat(signedIn("queue").eventsUrl()).isEqualTo("/api/v1/events?groups=queue,attention");
        assertThat(signedIn("tasks").eventsUrl()).isEqualTo("/api/v1/events?groups=tasks,attention");
        assertThat(signedIn("attention").eventsUrl()).isEqualTo("/api/v1/events?groups=attention");
        assertThat(signedIn("new").eventsUrl()).isEqualTo("/api/v1/events?groups=attention");
        assertThat(signedIn("").eventsUrl()).isEqualTo("/api/v1/events?groups=attention");
        assertThat(Layout.anonymous("Sign in", null).eventsUrl()).isNull();
        for (String nav : new String[] {"queue", "tasks", "attention"}) {
            String groups = signedIn(nav).eventsUrl().substring(signedIn(nav).eventsUrl().indexOf('=') + 1);
            assertThat(EventGroup.parse(groups)).as("names the server knows").contains(EventGroup.ATTENTION);
        }
    }
}
