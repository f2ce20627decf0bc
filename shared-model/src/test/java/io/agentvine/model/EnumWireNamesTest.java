package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnumWireNamesTest {

    /** Every enum of the contract: its constants, its parser, the field it names, its wire names in order. */
    static Stream<Arguments> enums() {
        return Stream.of(
                of(WorkerStatus.values(), WorkerStatus::fromWire, "status",
                        "starting, idle, busy, paused, draining, drained, stopping, offline"),
                of(WorkerCommand.values(), WorkerCommand::fromWire, "command", "none, pause, resume, drain"),
                of(FailureReason.values(), FailureReason::fromWire, "outcome",
                        "agent_error, tests_failed, timeout, budget_exceeded, stalled, clone_failed, push_failed, "
                                + "cancelled, lost_lease, needs_clarification, invalid_payload, worker_lost, rejected"),
                of(LifecycleEventType.values(), LifecycleEventType::fromWire, "type",
                        "started, progress, completed, failed, token_usage, released, awaiting_approval, cancelled, step_changed, parked"),
                of(RunStep.values(), RunStep::fromWire, "step", "preparing, cloning, agent_running, testing, committing, "
                        + "pushing, pull_request, waiting_for_answer, waiting_for_approval, finishing"),
                of(ClarificationKind.values(), ClarificationKind::fromWire, "kind", "question, approval"),
                of(ClarificationStatus.values(), ClarificationStatus::fromWire, "status",
                        "answered, expired, orphaned, approved, rejected"),
                of(WorkOrderState.values(), WorkOrderState::fromWire, "state",
                        "queued, delayed, running, awaiting_approval, completed, failed, dead, cancelled, waiting, parked"),
                of(PermissionLevel.values(), PermissionLevel::fromWire, "permission_level",
                        "autonomous, supervised, human_required"),
                of(ModelTier.values(), ModelTier::fromWire, "model_tier", "premium, standard, budget"),
                of(QueueLevel.values(), QueueLevel::fromWire, "queue_level", "high, default, low"),
                of(Priority.values(), Priority::fromWire, "priority", "P0, P1, P2, P3, P4"));
    }

    private static Arguments of(Enum<?>[] values, Function<String, ?> parse, String field, String wireNames) {
        return Arguments.of(values[0].getDeclaringClass().getSimpleName(), List.of(values), parse, field, wireNames);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    void every_constant_is_written_as_its_documented_wire_name_and_read_back(String name, List<Enum<?>> values,
            Function<String, ?> parse, String field, String wireNames) {
        List<String> written = values.stream().map(v -> Json.write(v).replace("\"", "")).toList();

        assertThat(written).containsExactlyElementsOf(Arrays.asList(wireNames.split(", ")));
        for (Enum<?> value : values) {
            assertThat(Json.read(Json.write(value), value.getDeclaringClass())).isSameAs(value);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    void wire_names_are_read_ignoring_case_surrounding_space_and_dashes(String name, List<Enum<?>> values,
            Function<String, ?> parse, String field, String wireNames) {
        for (Enum<?> value : values) {
            String wire = Json.write(value).replace("\"", "");
            assertThat(parse.apply(" " + wire.toUpperCase() + " ")).isSameAs(value);
            assertThat(parse.apply(wire.toLowerCase().replace('_', '-'))).isSameAs(value);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    void an_unknown_value_is_rejected_listing_the_accepted_ones(String name, List<Enum<?>> values,
            Function<String, ?> parse, String field, String wireNames) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, () -> parse.apply("bogus"));

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).isEqualTo(field + ": 'bogus' is not one of " + wireNames);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    void a_blank_value_is_reported_as_missing(String name, List<Enum<?>> values, Function<String, ?> parse,
            String field, String wireNames) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, () -> parse.apply(" "));

        assertThat(e.getMessage()).isEqualTo(field + ": is required");
    }

    @Test
    void an_enum_inside_a_message_is_reported_under_the_field_that_holds_it() {
        String json = Wire.with(Samples.registrationReply(), "command", "\"reboot\"");

        InvalidMessageException e = Wire.rejection(json, RegistrationReply.class);

        assertThat(e.getMessage()).isEqualTo("command: 'reboot' is not one of none, pause, resume, drain");
    }
}
