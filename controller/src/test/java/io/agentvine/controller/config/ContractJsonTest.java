package io.agentvine.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.agentvine.controller.TestProperties;
import io.agentvine.model.Json;
import io.agentvine.model.TokenUsage;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Micronaut's ObjectMapper is configured by {@link Json#configure}: the same settings, the same answers. */
class ContractJsonTest {
    private static ApplicationContext context;
    private static ObjectMapper micronaut;

    @BeforeAll
    static void start() {
        context = ApplicationContext.run(TestProperties.onH2().noBackground().forContext());
        micronaut = context.getBean(ObjectMapper.class);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void the_bean_has_the_settings_of_the_shared_model() {
        ObjectMapper contract = Json.mapper();
        for (DeserializationFeature f : new DeserializationFeature[] {DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS}) {
            assertThat(micronaut.isEnabled(f)).as(f.name()).isEqualTo(contract.isEnabled(f));
        }
        assertThat(micronaut.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)).isFalse();
        assertThat(micronaut.isEnabled(MapperFeature.ALLOW_COERCION_OF_SCALARS)).isFalse();
        assertThat(micronaut.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())).isTrue();
        assertThat(micronaut.getDeserializationConfig().isEnabled(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES))
                .isEqualTo(contract.getDeserializationConfig().isEnabled(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES));
        assertThat(micronaut.getPropertyNamingStrategy()).isEqualTo(contract.getPropertyNamingStrategy());
        assertThat(micronaut.getSerializationConfig().getDefaultPropertyInclusion())
                .isEqualTo(contract.getSerializationConfig().getDefaultPropertyInclusion());
    }

    @Test
    void the_bean_writes_what_the_shared_model_writes() throws Exception {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("kept", null);
        metadata.put("price", new BigDecimal("19.990"));
        Map<String, Object> value = Map.of("at", Instant.parse("2026-01-31T12:00:00Z"), "metadata", metadata,
                "usage", new TokenUsage(1, 2, 3, 4));
        assertThat(micronaut.writeValueAsString(value)).isEqualTo(Json.write(value));
    }

    @Test
    void the_bean_refuses_what_the_shared_model_refuses() {
        for (String bad : new String[] {"{\"input_tokens\": 1} trailing", "{\"input_tokens\": 1, \"input_tokens\": 2}",
                "{\"input_tokens\": \"3\"}", "{\"input_tokens\": 2.5}"}) {
            assertThatThrownBy(() -> Json.read(bad, TokenUsage.class)).as(bad).isNotNull();
            assertThatThrownBy(() -> micronaut.readValue(bad, TokenUsage.class)).as(bad).isNotNull();
        }
    }

    @Test
    void the_bean_reads_trees_as_the_shared_model_does() throws Exception {
        String body = "{\"price\": 19.990, \"at\": \"2026-01-31T12:00:00Z\"}";
        JsonNode tree = micronaut.readTree(body);
        assertThat(tree).isEqualTo(Json.readTree(body));
        assertThat(tree.get("price").toString()).isEqualTo("19.990");
    }
}
