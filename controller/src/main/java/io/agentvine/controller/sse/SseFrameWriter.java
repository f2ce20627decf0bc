package io.agentvine.controller.sse;

import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.ByteBodyFactory;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.body.ResponseBodyWriter;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an {@link SseFrame} of a {@code text/event-stream} response as its bytes: no JSON encoding and no
 * framing per stream (Micronaut's own SSE codec encodes each {@code Event} for each stream again). The bytes
 * are handed to the server without a copy; they are never changed.
 */
@Singleton
@Produces(MediaType.TEXT_EVENT_STREAM)
public class SseFrameWriter implements ResponseBodyWriter<SseFrame> {

    @Override
    public CloseableByteBody writePiece(ByteBodyFactory bodyFactory, HttpRequest<?> request, HttpResponse<?> response,
                                        Argument<SseFrame> type, MediaType mediaType, SseFrame frame) {
        return bodyFactory.adapt(frame.bytes());
    }

    @Override
    public void writeTo(Argument<SseFrame> type, MediaType mediaType, SseFrame frame, MutableHeaders headers,
                        OutputStream out) throws CodecException {
        try {
            out.write(frame.bytes());
        } catch (IOException e) {
            throw new CodecException("could not write an event frame: " + e.getMessage(), e);
        }
    }
}
