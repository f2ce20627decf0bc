package io.agentvine.cli;

/** {@code -o}: how data is printed on stdout. */
public enum Format {
    table, wide, json, yaml
}
