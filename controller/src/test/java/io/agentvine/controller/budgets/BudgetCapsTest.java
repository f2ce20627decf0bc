package io.agentvine.controller.budgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BudgetCapsTest {

    private static BudgetCaps caps(Consumer<BudgetSettings> set) {
        BudgetSettings s = new BudgetSettings();
        set.accept(s);
        return BudgetCaps.of(s);
    }

    @Test
    void lists_give_each_type_and_repository_its_caps_in_usd_and_tokens() {
        BudgetCaps c = caps(s -> {
            s.setTypeUsd("feature=50, docs=5.5");
            s.setTypeTokens("docs=1000");
            s.setRepoUsd("https://git.example.com/acme/a.git=20, git@github.com:acme/b=7");
            s.setZone("+02:00");
            s.setOnCap("stop");
        });
        assertThat(c.configured(BudgetScope.TYPE, "docs")).isEqualTo(new Cap(5.5, 1000L));
        assertThat(c.configured(BudgetScope.TYPE, "feature")).isEqualTo(new Cap(50.0, null));
        assertThat(c.configured(BudgetScope.TYPE, "test").none()).isTrue();
        assertThat(c.configured(BudgetScope.REPO, "git.example.com/acme/a")).as("by the repository's key").isEqualTo(new Cap(20.0, null));
        assertThat(c.configured(BudgetScope.REPO, "github.com/acme/b")).isEqualTo(new Cap(7.0, null));
        assertThat(c.configured(BudgetScope.FLEET, BudgetScope.FLEET_KEY).none()).as("0 is no cap").isTrue();
        assertThat(c.zone()).isEqualTo(ZoneId.of("+02:00"));
        assertThat(c.onCap()).isEqualTo(BudgetSettings.OnCap.STOP);
    }

    @Test
    void a_wrong_value_is_refused_naming_its_setting() {
        assertThatThrownBy(() -> caps(s -> s.setTypeUsd("feature"))).hasMessageContaining("agentvine.budgets.type-usd")
                .hasMessageContaining("AGENTVINE_BUDGETS_TYPE_USD").hasMessageContaining("name=amount");
        assertThatThrownBy(() -> caps(s -> s.setRepoTokens("https://x/y.git=1.5"))).hasMessageContaining("agentvine.budgets.repo-tokens")
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> caps(s -> s.setTypeUsd("docs=-1"))).hasMessageContaining("above 0");
        assertThatThrownBy(() -> caps(s -> s.setTypeUsd("docs=1,docs=2"))).hasMessageContaining("given twice");
        assertThatThrownBy(() -> caps(s -> s.setRepoUsd("https://github.com/acme/b.git=1,git@github.com:acme/b=2")))
                .hasMessageContaining("agentvine.budgets.repo-usd").hasMessageContaining("github.com/acme/b is given twice");
        assertThatThrownBy(() -> caps(s -> s.setFleetUsd(-1))).hasMessageContaining("agentvine.budgets.fleet-usd");
        assertThatThrownBy(() -> caps(s -> s.setOnCap("pause"))).hasMessageContaining("agentvine.budgets.on-cap")
                .hasMessageContaining("finish or stop");
        assertThatThrownBy(() -> caps(s -> s.setZone("Mars/Olympus"))).hasMessageContaining("agentvine.budgets.zone");
    }

    @Test
    void a_cap_is_used_by_the_larger_share_of_its_units() {
        Cap cap = new Cap(10.0, 1000L);
        assertThat(cap.used(new Spend(5, 900))).isEqualTo(0.9);
        assertThat(cap.used(new Spend(11, 0))).isEqualTo(1.1);
        assertThat(Cap.NONE.used(new Spend(100, 100))).isZero();
        assertThat(new Cap(null, 5L).or(new Cap(2.0, 9L))).isEqualTo(new Cap(2.0, 5L));
    }
}
