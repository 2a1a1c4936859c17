package dev.vlmadapt.runtime.optim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Optimizer states as JSON. Doubles round-trip exactly (Jackson writes the shortest exact decimal). */
final class StateJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateJson() {
    }

    static String write(Object state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise optimizer state", e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " state: " + e.getOriginalMessage(), e);
        }
    }
}
