package io.agentvine.controller.api;

import io.agentvine.controller.budgets.CapRequest;
import io.agentvine.controller.clarifications.AnswerRequest;
import io.agentvine.controller.input.RequestBodies;
import io.agentvine.controller.tasks.BulkRequest;
import io.agentvine.controller.tasks.FollowUpRequest;
import io.agentvine.model.AgentSessionState;
import io.agentvine.controller.tasks.TaskPatch;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.WorkerRegistration;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.TypedMessageBodyReader;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * How the API reads each JSON body (instead of Micronaut's lenient default): {@link RequestBodies}
 * for the shape, then the body's own rules ({@link BodyRules}). A refusal is an
 * {@link InvalidMessageException} naming the field: a 400.
 */
final class BodyReaders {
    private BodyReaders() {
    }

    abstract static class Reader<T> implements TypedMessageBodyReader<T> {
        private final Argument<T> type;
        private final boolean fromWorker;

        Reader(Class<T> type, boolean fromWorker) {
            this.type = Argument.of(type);
            this.fromWorker = fromWorker;
        }

        @Override
        public Argument<T> getType() {
            return type;
        }

        @Override
        public T read(Argument<T> argument, MediaType mediaType, Headers headers, InputStream in) throws CodecException {
            byte[] body;
            try {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Class<T> raw = type.getType();
            T value = fromWorker ? RequestBodies.worker(body, raw) : RequestBodies.operator(body, raw);
            check(value);
            return value;
        }

        /** The body's own rules beyond its record's; none by default. */
        void check(T value) {
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Tasks extends Reader<TaskRequest> {
        private final BodyRules rules;

        Tasks(BodyRules rules) {
            super(TaskRequest.class, false);
            this.rules = rules;
        }

        @Override
        void check(TaskRequest value) {
            rules.task(value);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Sessions extends Reader<AgentSessionState> {
        Sessions() {
            super(AgentSessionState.class, true);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class FollowUps extends Reader<FollowUpRequest> {
        FollowUps() {
            super(FollowUpRequest.class, false);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Patches extends Reader<TaskPatch> {
        Patches() {
            super(TaskPatch.class, false);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Bulk extends Reader<BulkRequest> {
        Bulk() {
            super(BulkRequest.class, false);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Caps extends Reader<CapRequest> {
        Caps() {
            super(CapRequest.class, false);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Repositories extends Reader<RepositoriesController.RepositoryRequest> {
        Repositories() {
            super(RepositoriesController.RepositoryRequest.class, false);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Answers extends Reader<AnswerRequest> {
        Answers() {
            super(AnswerRequest.class, false);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Registrations extends Reader<WorkerRegistration> {
        private final BodyRules rules;

        Registrations(BodyRules rules) {
            super(WorkerRegistration.class, true);
            this.rules = rules;
        }

        @Override
        void check(WorkerRegistration value) {
            rules.registration(value);
        }
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    static class Heartbeats extends Reader<Heartbeat> {
        private final BodyRules rules;

        Heartbeats(BodyRules rules) {
            super(Heartbeat.class, true);
            this.rules = rules;
        }

        @Override
        void check(Heartbeat value) {
            rules.heartbeat(value);
        }
    }
}
