package io.gamerlab.analysis;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The claims ledger ({@code claims/ledger.yaml}): every quantitative claim of the seed analysis
 * with what measures it. The file's own header documents its fields. Read with Jackson into typed
 * records; a bad file is an {@link IllegalArgumentException} naming the file, the line and what is
 * wrong.
 */
public record Ledger(List<Claim> claims) {

    /** Where the ledger lives, relative to the repository root. */
    public static final Path DEFAULT = Path.of("claims", "ledger.yaml");

    public Ledger {
        require(claims, "claims");
        claims = List.copyOf(claims);
        Set<String> ids = new HashSet<>();
        for (Claim c : claims) {
            if (!ids.add(c.id())) throw new IllegalArgumentException("claim id " + c.id() + " is used twice");
            for (Measure m : c.measures())
                if (!ids.add(m.id())) throw new IllegalArgumentException("measure id " + m.id() + " is used twice");
        }
    }

    /** Reads a ledger; throws {@link NoSuchFileException} if there is none, and IllegalArgumentException if it is malformed. */
    public static Ledger load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no claims ledger here");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try {
            return yaml.readValue(file.toFile(), Ledger.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + where(e) + ": " + problem(e), e);
        }
    }

    /** The claim with this id. */
    public Claim claim(String id) {
        return claims.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no claim '" + id + "' in the ledger; its claims are "
                        + claims.stream().map(Claim::id).toList()));
    }

    /** Where in the file: the field's path (claims[2].measures[0].metric) and the line the reader had reached. */
    private static String where(JacksonException e) {
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException m)
            for (JsonMappingException.Reference r : m.getPath())
                path.append(r.getFieldName() != null ? (path.isEmpty() ? "" : ".") + r.getFieldName() : "[" + r.getIndex() + "]");
        JsonLocation at = e.getLocation();
        return (path.isEmpty() ? "" : ", at " + path) + (at == null || at.getLineNr() < 1 ? "" : " (near line " + at.getLineNr() + ")");
    }

    private static String problem(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u)
            return "unknown field '" + u.getPropertyName() + "'; known: " + u.getKnownPropertyIds();
        // A record's constructor or an enum's factory refused a value: its own message says which and why.
        Throwable cause = e.getCause();
        return Optional.ofNullable(cause instanceof IllegalArgumentException ? cause.getMessage() : null)
                .orElse(e.getOriginalMessage());
    }

    /** Fails, naming the field, when a required field of the ledger is missing. */
    static <T> T require(T value, String field) {
        if (value == null || value instanceof String s && s.isBlank())
            throw new IllegalArgumentException("'" + field + "' is missing");
        return value;
    }
}
