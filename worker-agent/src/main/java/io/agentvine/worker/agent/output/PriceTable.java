package io.agentvine.worker.agent.output;

/** PLACEHOLDER until helper/parsers merges. */
public final class PriceTable {
    public static PriceTable defaults() {
        return new PriceTable();
    }

    public static PriceTable fromYaml(java.nio.file.Path file) {
        return new PriceTable();
    }
}
