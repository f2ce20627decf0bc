package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.agentvine.model.TokenUsage;
import org.junit.jupiter.api.Test;

class AgentUsageTest {
    private static final TokenUsage SOME = new TokenUsage(100, 20, 300, 40);

    @Test
    void plus_adds_tokens_turns_and_costs_and_an_unknown_cost_adds_nothing() {
        AgentUsage a = new AgentUsage(SOME, 0.25, 2);
        AgentUsage b = new AgentUsage(new TokenUsage(1, 2, 3, 4), null, 1);

        assertThat(a.plus(b)).isEqualTo(new AgentUsage(new TokenUsage(101, 22, 303, 44), 0.25, 3));
        assertThat(b.plus(a).costUsd()).isEqualTo(0.25);
        assertThat(b.plus(b).costUsd()).isNull();
        assertThat(a.plus(a).costUsd()).isEqualTo(0.5);
    }

    @Test
    void minus_is_the_usage_since_an_earlier_snapshot() {
        AgentUsage earlier = new AgentUsage(SOME, 0.10, 2);
        AgentUsage now = new AgentUsage(new TokenUsage(150, 25, 900, 40), 0.35, 5);

        AgentUsage delta = now.minus(earlier);

        assertThat(delta.tokens()).isEqualTo(new TokenUsage(50, 5, 600, 0));
        assertThat(delta.costUsd()).isCloseTo(0.25, within(1e-12));
        assertThat(delta.turns()).isEqualTo(3);
        assertThat(earlier.plus(delta).tokens()).isEqualTo(now.tokens());
    }

    @Test
    void minus_never_goes_negative_when_a_final_report_corrects_an_estimate_downwards() {
        AgentUsage estimate = new AgentUsage(new TokenUsage(500, 50, 500, 50), 0.9, 6);
        AgentUsage reported = new AgentUsage(new TokenUsage(400, 60, 500, 10), 0.8, 4);

        assertThat(reported.minus(estimate)).isEqualTo(new AgentUsage(new TokenUsage(0, 10, 0, 0), 0.0, 0));
    }

    @Test
    void minus_keeps_a_cost_known_only_now_and_an_unknown_one_unknown() {
        AgentUsage unknown = new AgentUsage(SOME, null, 1);
        AgentUsage known = new AgentUsage(SOME, 0.4, 1);

        assertThat(known.minus(unknown).costUsd()).isEqualTo(0.4);
        assertThat(unknown.minus(known).costUsd()).isNull();
        assertThat(known.minus(AgentUsage.NONE)).isEqualTo(known);
    }

    @Test
    void a_negative_or_impossible_cost_or_turn_count_is_refused() {
        assertThatThrownBy(() -> new AgentUsage(SOME, -0.01, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentUsage(SOME, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentUsage(SOME, null, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentUsage(null, null, 0)).isInstanceOf(NullPointerException.class);
    }
}
