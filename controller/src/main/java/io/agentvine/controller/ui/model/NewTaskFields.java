package io.agentvine.controller.ui.model;

import java.util.List;

/** The New task form's fields, named as the API names them (so a 400's field points at one). */
public final class NewTaskFields {
    public static final List<String> ALL = List.of("type", "repository_url", "branch", "title", "instructions", "priority",
            "permission_level", "test_command", "budget.max_turns", "budget.max_cost_usd", "budget.timeout_seconds");

    private NewTaskFields() {
    }
}
