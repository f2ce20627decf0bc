package io.agentvine.worker.agent.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common part of the parsers of a JSON-lines CLI: each stdout line is one JSON event; anything
 * else (stderr chatter, a banner) is passed on as progress and never counts as usage.
 *
 * <p>Events are applied under the parser's lock, one at a time, by {@link #onEvent}; parsing the JSON
 * happens outside it so the two reader threads do not wait on each other's parsing.
 */
abstract class JsonLinesParser implements OutputParser {
    /**
     * The agent process hands over a line longer than this in pieces of this length. Such a piece is
     * part of an event too big to read (a huge tool result): it and the pieces after it are skipped,
     * not shown as progress.
     */
    static final int PIECE_CHARS = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(JsonLinesParser.class);

    /** Prices usage the CLI reports without a cost, on the run's model. */
    protected final Pricing pricing;
    private final Set<String> streamsInsideCutLine = new HashSet<>();
    private boolean warnedBadEvent;
    private AgentVerdict verdict;
    private String sessionId;

    /** @param model the run's model, to price usage the CLI gives no cost for; may be null */
    protected JsonLinesParser(String model, PriceTable prices) {
        this.pricing = new Pricing(prices, model);
    }

    @Override
    public final synchronized Optional<AgentVerdict> verdict() {
        return Optional.ofNullable(verdict);
    }

    @Override
    public final Optional<String> line(String stream, String line) {
        if (line == null || insideCutLine(stream, line)) {
            return Optional.empty();
        }
        JsonNode event = Fields.object(line);
        if (event == null) {
            // A line that opens like JSON but does not parse is a broken event, not a message for people.
            return line.strip().startsWith("{") ? Optional.empty() : Progress.line(line);
        }
        String type = Fields.text(event, "type");
        if (type == null) {
            return Optional.empty();
        }
        synchronized (this) {
            try {
                return onEvent(type, event);
            } catch (RuntimeException e) {
                // An event of a shape no version printed so far: skip it, keep the run going.
                if (!warnedBadEvent) {
                    warnedBadEvent = true;
                    log.warn("Skipping an agent output event that could not be read: {}", e.toString());
                }
                return Optional.empty();
            }
        }
    }

    /**
     * Applies one event; called holding the parser's lock. Implementations compute before they change
     * state, so an event that throws halfway leaves no partial update.
     *
     * @param type the event's {@code type}
     * @return the progress message for the event, or empty
     */
    protected abstract Optional<String> onEvent(String type, JsonNode event);

    /** Records how the CLI said the run ended; a later report replaces an earlier one. Call holding the lock. */
    protected final void conclude(AgentVerdict outcome) {
        verdict = outcome;
    }

    @Override
    public final synchronized Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /** Records the agent's session id (the first one named wins: a run has one session). Call holding the lock. */
    protected final void session(String id) {
        if (sessionId == null && id != null && !id.isBlank() && id.length() <= 128) {
            sessionId = id;
        }
    }

    private synchronized boolean insideCutLine(String stream, String line) {
        boolean continues = streamsInsideCutLine.contains(stream);
        if (line.length() >= PIECE_CHARS) {
            streamsInsideCutLine.add(stream);
            return true;
        }
        streamsInsideCutLine.remove(stream);
        return continues;
    }
}
