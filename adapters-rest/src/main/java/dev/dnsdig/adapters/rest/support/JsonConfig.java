package dev.dnsdig.adapters.rest.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** The one ObjectMapper of the API: strict on input, no nulls on output. */
@Provider
public final class JsonConfig implements ContextResolver<ObjectMapper> {
    /**
     * Buffers for parsers and generators shared by every thread: Jackson's default keeps them per thread, which a
     * virtual thread (one per request here) never reuses, so each request allocated new ones.
     */
    private static final int RECYCLED_BUFFERS = 256;

    public static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.newBoundedPool(RECYCLED_BUFFERS)).build())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            // record accessors through generated lambdas rather than reflective calls (measured in bench/resolve.sh)
            .addModule(new com.fasterxml.jackson.module.blackbird.BlackbirdModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // {"title":"a","title":"b"} is ambiguous, not "b": a 400 like any other malformed JSON
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxDocumentLength(1L << 20).maxStringLength(1 << 20).build());
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return MAPPER;
    }
}
