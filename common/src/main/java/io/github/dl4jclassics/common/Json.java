package io.github.dl4jclassics.common;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/** The one JSON configuration of the project: strict on input, indented on output. */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // NaN (e.g. the accuracy of a class with no examples) is written as the string "NaN", valid JSON.
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getSimpleName(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code file} atomically. */
    public static void writeFile(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, write(value) + "\n");
    }

    public static <T> T readFile(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }

    /**
     * Reads a file written by an older or newer version of the project (a run's result.json): unknown fields are
     * ignored, missing primitives default and an enum value this version does not know reads as null, unlike {@link #readFile}, which is right for manifests but not for
     * reading history.
     */
    public static <T> T readHistory(Path file, Class<T> type) throws IOException {
        return MAPPER.readerFor(type)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .with(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .readValue(file.toFile());
    }
}
