package io.agentvine.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void backoff_grows_exponentially_with_jitter_up_to_its_cap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        Random r = new Random(7);
        for (int failures = 1; failures <= 40; failures++) {
            long cap = Math.min(2000, 100L << Math.min(failures - 1, 30));
            assertThat(b.delay(failures, r).toMillis()).isBetween(0L, cap);
        }
    }

    @Test
    void a_backoff_needs_a_positive_base_no_larger_than_its_cap() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("0 < base <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("0 < base <= max");
    }
}
