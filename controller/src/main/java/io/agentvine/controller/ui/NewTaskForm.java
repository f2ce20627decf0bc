package io.agentvine.controller.ui;

import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.ui.model.NewTaskFields;
import io.agentvine.model.Budget;
import io.agentvine.model.InvalidMessageException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The New task form as a {@link TaskRequest}: the fields carry the API's names, an empty field is
 * "not given" (the API's default applies), a number that is not one is refused naming its field, as
 * the API refuses a JSON value of the wrong type.
 */
final class NewTaskForm {
    private NewTaskForm() {
    }

    /** The form's values by field name, as typed (to show them again when refused). */
    static Map<String, String> values(FormBody form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String f : NewTaskFields.ALL) {
            String v = form.get(f);
            if (v != null) {
                values.put(f, v);
            }
        }
        return values;
    }

    static TaskRequest request(FormBody form) {
        Integer maxTurns = integer(form, "budget.max_turns");
        Double maxCost = decimal(form, "budget.max_cost_usd");
        Integer timeout = integer(form, "budget.timeout_seconds");
        Budget budget = maxTurns == null && maxCost == null && timeout == null ? null : new Budget(maxTurns, maxCost, timeout);
        return new TaskRequest(form.given("type"), trim(form.given("repository_url")), trim(form.given("branch")),
                form.given("title"), form.given("instructions"), form.given("priority"), form.given("permission_level"),
                form.given("test_command"), null, null, budget, null, null, null);
    }

    private static String trim(String s) {
        return s == null ? null : s.strip();
    }

    private static Integer integer(FormBody form, String field) {
        String v = form.given(field);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidMessageException(field, "must be a whole number, was '" + v + "'");
        }
    }

    private static Double decimal(FormBody form, String field) {
        String v = form.given(field);
        if (v == null) {
            return null;
        }
        try {
            return Double.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidMessageException(field, "must be a number, was '" + v + "'");
        }
    }
}
