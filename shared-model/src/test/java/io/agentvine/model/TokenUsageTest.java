package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenUsageTest {

    @Test
    void missing_and_null_counts_read_as_zero() {
        assertThat(Json.read("{}", TokenUsage.class)).isEqualTo(TokenUsage.ZERO);
        assertThat(Json.read("{\"input_tokens\": 5, \"output_tokens\": null}", TokenUsage.class))
                .isEqualTo(new TokenUsage(5, 0, 0, 0));
    }

    @Test
    void plus_adds_each_count_on_its_own() {
        TokenUsage sum = new TokenUsage(1, 2, 3, 4).plus(new TokenUsage(10, 20, 30, 40));

        assertThat(sum).isEqualTo(new TokenUsage(11, 22, 33, 44));
    }

    @Test
    void zero_changes_nothing_when_added() {
        assertThat(Samples.tokenUsage().plus(TokenUsage.ZERO)).isEqualTo(Samples.tokenUsage());
        assertThat(TokenUsage.ZERO.total()).isZero();
    }

    @Test
    void total_counts_input_output_and_both_cache_kinds() {
        assertThat(new TokenUsage(1200, 340, 5000, 800).total()).isEqualTo(7340);
    }

    @Test
    void sums_too_large_for_a_long_fail_instead_of_wrapping() {
        TokenUsage huge = new TokenUsage(Long.MAX_VALUE, 0, 0, 0);

        assertThatThrownBy(() -> huge.plus(new TokenUsage(1, 0, 0, 0))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new TokenUsage(Long.MAX_VALUE, 1, 0, 0).total()).isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens"})
    void negative_counts_are_rejected_naming_the_field(String field) {
        assertThat(Wire.rejection(Wire.with(Samples.tokenUsage(), field, "-1"), TokenUsage.class).field())
                .isEqualTo(field);
    }

    @Test
    void inside_an_event_a_bad_count_is_reported_under_token_usage() {
        String json = Wire.with(Samples.failedEvent(), "token_usage.output_tokens", "-3");

        assertThat(Wire.rejection(json, LifecycleEvent.class).getMessage())
                .isEqualTo("token_usage.output_tokens: must not be negative, was -3");
    }

    @Test
    void constructing_with_a_negative_count_is_rejected() {
        assertThat(catchThrowableOfType(InvalidMessageException.class, () -> new TokenUsage(0, 0, -1, 0)).field())
                .isEqualTo("cache_read_tokens");
    }
}
