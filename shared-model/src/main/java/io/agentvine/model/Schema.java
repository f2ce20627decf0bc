package io.agentvine.model;

/**
 * Version of the wire contract. Every message carries {@code schema_version}. A reader accepts any
 * version: fields it does not know are ignored, {@code metadata} is passed through untouched, and a
 * missing version means 1. Bump this when a field changes meaning, not when one is added. A message
 * whose own form moved on carries its own version: {@link LifecycleEvent#SCHEMA_VERSION} (2).
 * The controller's API is stricter with what clients write by hand or report themselves: it refuses
 * unknown fields unless a worker's message has a newer version than this (see {@link Json#readStrict}).
 */
public final class Schema {
    public static final int VERSION = 1;

    private Schema() {
    }
}
