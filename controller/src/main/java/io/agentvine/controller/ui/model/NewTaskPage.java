package io.agentvine.controller.ui.model;

import java.util.List;
import java.util.Map;

/**
 * The New task form: the values as the user typed them (kept when refused), the field the API's
 * validation named with its message, and the choices of the selects.
 *
 * @param values     by the API's field name (type, repository_url, branch, title, instructions, priority,
 *                   permission_level, test_command, budget.max_turns, budget.max_cost_usd, budget.timeout_seconds)
 * @param errorField the field the refusal names (null: none, or not one of the form's: shown above the form)
 */
public record NewTaskPage(Map<String, String> values, String errorField, String error, List<String> types,
                          List<String> priorities, List<String> permissionLevels) {

    public String value(String field) {
        String v = values.get(field);
        return v == null ? "" : v;
    }

    /** The message for {@code field}, or null. */
    public String errorFor(String field) {
        return field.equals(errorField) ? error : null;
    }

    public boolean invalid(String field) {
        return field.equals(errorField);
    }

    /** An error that names no field of the form (shown above it). */
    public String generalError() {
        if (error == null) {
            return null;
        }
        return errorField != null && NewTaskFields.ALL.contains(errorField) ? null : error;
    }
}
