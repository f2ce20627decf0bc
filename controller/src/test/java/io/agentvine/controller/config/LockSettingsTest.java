package io.agentvine.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.queue.RepositoryLocks;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LockSettingsTest {

    private static RepositoryLocks locks(Map<String, Object> properties) {
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            return context.getBean(LockSettings.class).toLocks();
        }
    }

    @Test
    void locks_are_on_and_unlimited_by_default() {
        assertThat(locks(Map.of())).isEqualTo(RepositoryLocks.DEFAULT);
    }

    @Test
    void a_limit_and_per_repository_overrides_are_read_and_normalized() {
        RepositoryLocks l = locks(Map.of("agentvine.locks.max-running-per-repository", "2",
                "agentvine.locks.repository-limits", "github.com/acme/small=1, https://GitHub.com/acme/big.git=4"));
        assertThat(l.limitOf("github.com/acme/small")).isEqualTo(1);
        assertThat(l.limitOf("github.com/acme/big")).isEqualTo(4);
        assertThat(l.limitOf("github.com/acme/other")).isEqualTo(2);
    }

    @Test
    void a_wrong_setting_is_refused_naming_it() {
        assertThatThrownBy(() -> locks(Map.of("agentvine.locks.max-running-per-repository", "zero")))
                .hasMessageContaining("max_running_per_repository").hasMessageContaining("AGENTVINE_MAX_RUNNING_PER_REPOSITORY");
        assertThatThrownBy(() -> locks(Map.of("agentvine.locks.max-running-per-repository", "0")))
                .hasMessageContaining("max_running_per_repository must be a positive number");
        assertThatThrownBy(() -> locks(Map.of("agentvine.locks.repository-limits", "github.com/acme/small")))
                .hasMessageContaining("repository_limits: 'github.com/acme/small' is not repository=limit");
        assertThatThrownBy(() -> locks(Map.of("agentvine.locks.repository-limits", "github.com/acme/small=0")))
                .hasMessageContaining("repository_limits: the limit of github.com/acme/small must be at least 1");
    }
}
