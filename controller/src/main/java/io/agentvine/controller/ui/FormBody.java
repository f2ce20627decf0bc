package io.agentvine.controller.ui;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** A form's fields (application/x-www-form-urlencoded), repeated names kept (checkboxes), decoded by Netty. */
public record FormBody(Map<String, List<String>> fields) {

    public static FormBody parse(String body) {
        return new FormBody(new QueryStringDecoder(body == null ? "" : body, false).parameters());
    }

    /** The field's first value, null when absent. */
    public String get(String name) {
        List<String> v = fields.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The field's value, null when absent or blank (an empty input is "not given"). */
    public String given(String name) {
        String v = get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }
}
