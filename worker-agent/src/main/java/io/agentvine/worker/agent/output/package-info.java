/**
 * Reads coding-agent CLI output: progress messages, token usage and cost, and how the run ended.
 * {@link io.agentvine.worker.agent.output.OutputParsers#forAdapter} picks the parser for an adapter:
 * Claude Code's stream-json, Codex's exec JSONL, or plain {@code Token usage:} lines.
 * {@link io.agentvine.worker.agent.output.PriceTable} costs what a CLI does not price itself.
 */
package io.agentvine.worker.agent.output;
