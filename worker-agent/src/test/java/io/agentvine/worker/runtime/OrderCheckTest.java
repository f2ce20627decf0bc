package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import org.junit.jupiter.api.Test;

/** The worker's second look at an order's repository host; nothing here connects (names are resolved only). */
class OrderCheckTest {
    private static WorkOrder order(String url) {
        return WorkOrder.builder("o-1", TaskType.FEATURE).repositoryUrl(url).title("t").build();
    }

    @Test
    void always_refused_hosts_are_refused_in_any_spelling() {
        assertThat(OrderCheck.problem(order("git://169.254.169.254/x.git"))).get().asString()
                .startsWith("repository_url: host 169.254.169.254 is a link-local address");
        assertThat(OrderCheck.problem(order("https://[fe80::1]/x.git"))).get().asString().contains("link-local");
        assertThat(OrderCheck.problem(order("https://2852039166/x.git"))).get().asString()
                .contains("is 169.254.169.254, a link-local address");
        assertThat(OrderCheck.problem(order("ssh://git@metadata.google.internal/x.git"))).get().asString()
                .contains("is a cloud metadata service");
    }

    @Test
    void loopback_private_public_and_file_hosts_are_the_controllers_business() {
        assertThat(OrderCheck.problem(order("git://127.0.0.1:9418/x.git"))).isEmpty();
        assertThat(OrderCheck.problem(order("https://localhost/x.git"))).as("resolves to the loopback").isEmpty();
        assertThat(OrderCheck.problem(order("file:///srv/git/x.git"))).isEmpty();
        assertThat(OrderCheck.problem(order("git@git.invalid:team/x.git"))).as("does not resolve: the clone reports it").isEmpty();
    }
}
