package io.agentvine.controller.ui.model;

/** A message at the top of a page: {@code kind} is {@code info}, {@code success} or {@code error}. */
public record Flash(String kind, String message) {
    public static Flash info(String m) {
        return new Flash("info", m);
    }

    public static Flash success(String m) {
        return new Flash("success", m);
    }

    public static Flash error(String m) {
        return new Flash("error", m);
    }
}
