package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Timing rules shared by {@link RegistrationReply} and {@link HeartbeatReply}. */
class HeartbeatTimingTest {

    private static InvalidMessageException rejected(Runnable construction) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, construction::run);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    @Test
    void a_bare_registration_reply_beats_every_10_seconds_with_a_30_second_lease_and_no_command() {
        RegistrationReply reply = Json.read("{\"worker_id\": \"w-1\"}", RegistrationReply.class);

        assertThat(reply.heartbeatIntervalSeconds()).isEqualTo(10);
        assertThat(reply.leaseSeconds()).isEqualTo(30);
        assertThat(reply.command()).isEqualTo(WorkerCommand.NONE);
        assertThat(reply.metadata()).isEmpty();
    }

    @Test
    void a_bare_heartbeat_reply_has_the_same_defaults() {
        HeartbeatReply reply = Json.read("{}", HeartbeatReply.class);

        assertThat(reply).isEqualTo(new HeartbeatReply(1, WorkerCommand.NONE, 10, 30, null));
    }

    @Test
    void a_missing_lease_is_three_intervals() {
        assertThat(new HeartbeatReply(null, null, 20, null, null).leaseSeconds()).isEqualTo(60);
        assertThat(new RegistrationReply(null, "w-1", 7, null, null, null).leaseSeconds()).isEqualTo(21);
    }

    @ParameterizedTest
    @CsvSource({"10, 10", "10, 5", "60, 30"})
    void a_lease_no_longer_than_the_interval_is_rejected(int interval, int lease) {
        InvalidMessageException e = rejected(() -> new HeartbeatReply(null, null, interval, lease, null));

        assertThat(e.field()).isEqualTo("lease_seconds");
        assertThat(e.getMessage()).contains("longer than heartbeat_interval_seconds (" + interval + ")");
    }

    @Test
    void a_lease_one_second_longer_than_the_interval_is_accepted() {
        assertThat(new HeartbeatReply(null, null, 10, 11, null).leaseSeconds()).isEqualTo(11);
    }

    @ParameterizedTest
    @CsvSource({"0", "-5", "3601"})
    void the_interval_is_between_1_second_and_1_hour(int interval) {
        assertThat(rejected(() -> new RegistrationReply(null, "w-1", interval, 7200, null, null)).field())
                .isEqualTo("heartbeat_interval_seconds");
    }

    @Test
    void the_lease_is_at_most_a_day() {
        assertThat(rejected(() -> new HeartbeatReply(null, null, 10, 86_401, null)).field()).isEqualTo("lease_seconds");
    }

    @Test
    void a_registration_reply_needs_a_valid_worker_id() {
        assertThat(rejected(() -> new RegistrationReply(null, null, null, null, null, null)).field())
                .isEqualTo("worker_id");
        assertThat(rejected(() -> new RegistrationReply(null, "w 1", null, null, null, null)).field())
                .isEqualTo("worker_id");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            heartbeat_interval_seconds | "often" | heartbeat_interval_seconds
            lease_seconds              | 1       | lease_seconds
            command                    | "stop"  | command
            command                    | 3       | command
            """)
    void bad_heartbeat_reply_json_is_rejected_naming_the_field(String path, String value, String field) {
        assertThat(Wire.rejection(Wire.with(Samples.heartbeatReply(), path, value), HeartbeatReply.class).field())
                .isEqualTo(field);
    }

    @Test
    void a_command_a_worker_does_not_know_is_rejected_listing_the_known_ones() {
        String json = Wire.with(Samples.heartbeatReply(), "command", "\"restart\"");

        assertThat(Wire.rejection(json, HeartbeatReply.class).getMessage())
                .isEqualTo("command: 'restart' is not one of none, pause, resume, drain");
    }
}
