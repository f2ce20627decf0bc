package io.agentvine.worker.agent.output;

import java.util.Locale;
import java.util.Objects;

/** Picks the output parser for an agent adapter. */
public final class OutputParsers {
    public static final String CLAUDE_CODE = "claude-code";
    public static final String CODEX = "codex";

    private OutputParsers() {
    }

    /**
     * A new parser for one run.
     *
     * @param adapter "claude-code" (stream-json), "codex" (exec --json); any other adapter prints
     *                plain usage lines
     * @param model   the model the run uses, to price usage the CLI does not; may be null
     * @param prices  the price table
     */
    public static OutputParser forAdapter(String adapter, String model, PriceTable prices) {
        Objects.requireNonNull(prices, "prices");
        String name = adapter == null ? "" : adapter.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case CLAUDE_CODE -> new ClaudeStreamJsonParser(model, prices);
            case CODEX -> new CodexJsonParser(model, prices);
            case "aider" -> new AiderOutputParser(model, prices);
            default -> new UsageLineParser(model, prices);
        };
    }
}
