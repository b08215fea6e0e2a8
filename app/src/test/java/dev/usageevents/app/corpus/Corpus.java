package dev.usageevents.app.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The bad-input corpus: every {@code *.json} file under {@code bad-inputs/} on the test classpath holds an array
 * of cases. Files named {@code grpc-*} hold gRPC calls, the others HTTP requests.
 *
 * <p>An HTTP case: {@code name}, {@code method}, {@code path}, optional {@code query} (as sent, already
 * encoded), {@code headers}, one body ({@code body} text, {@code json} a JSON value, {@code bodyBase64} bytes, or
 * {@code generate}: {@code {"repeat": "x", "times": n}} or {@code {"nest": n}} between an optional {@code prefix}
 * and {@code suffix}), optional {@code raw} (sent over a plain socket, for bodies refused before they are read)
 * and {@code chunked}, then {@code status} (a number or an array of the acceptable ones) and {@code contains}:
 * text the answer must contain, naming the problem.
 *
 * <p>A gRPC case: {@code name}, {@code method} (the RPC), optional {@code metadata} (default: the account's
 * credentials), {@code request} in protobuf's JSON form ({@code requests}, an array, for StreamEvents; or
 * {@code requestBase64}), optional {@code timestamps} (Timestamps that JSON cannot express:
 * {@code {"path": "events[2].timestamp", "seconds": s, "nanos": n}}), then {@code code} and {@code contains}.
 *
 * <p>Strings may hold {@code {{fixture}}} placeholders. JSON values may hold generators: {@code {"$string":
 * {"repeat": "c", "times": 256}}} (a long string), {@code {"$nest": 17}} (objects nested 17 deep), and
 * {@code {"$batch": {"count": 10, "item": {...}, "at": {"7": {...}}}}} (an array of {@code count} copies of
 * {@code item}, with {@code $i} in its strings replaced by the index, except the elements given in {@code at}).
 */
final class Corpus {

    static final String DIRECTORY = "bad-inputs";
    static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {
    }

    record Case(String file, String name, JsonNode spec) {

        boolean grpc() {
            return file.startsWith("grpc-");
        }

        List<Integer> statuses() {
            JsonNode status = spec.get("status");
            List<Integer> statuses = new ArrayList<>();
            if (status.isArray()) {
                status.forEach(s -> statuses.add(s.asInt()));
            } else {
                statuses.add(status.asInt());
            }
            return statuses;
        }
    }

    static List<Case> load() {
        URL directory = Corpus.class.getClassLoader().getResource(DIRECTORY);
        if (directory == null) {
            throw new IllegalStateException("no " + DIRECTORY + " on the test classpath");
        }
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = file.getFileName().toString();
                JsonNode array = JSON.readTree(Files.readAllBytes(file));
                if (!array.isArray()) {
                    throw new IllegalStateException(name + " must hold an array of cases");
                }
                for (JsonNode spec : array) {
                    for (String field : List.of("name", "method", "contains")) {
                        if (!spec.hasNonNull(field)) {
                            throw new IllegalStateException(name + ": a case without " + field + ": " + spec);
                        }
                    }
                    if (!spec.hasNonNull(name.startsWith("grpc-") ? "code" : "status")) {
                        throw new IllegalStateException(name + ": a case without its expected answer: " + spec);
                    }
                    cases.add(new Case(name, name.replace(".json", "") + ": " + spec.get("name").asText(), spec));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return cases;
    }

    /** The body of an HTTP case, or null when it has none; placeholders of text bodies are substituted. */
    static byte[] body(JsonNode spec, UnaryOperator<String> substitute) {
        if (spec.has("body")) {
            return substitute.apply(spec.get("body").asText()).getBytes(StandardCharsets.UTF_8);
        }
        if (spec.has("json")) {
            return substitute.apply(json(spec.get("json"))).getBytes(StandardCharsets.UTF_8);
        }
        if (spec.has("bodyBase64")) {
            return Base64.getDecoder().decode(spec.get("bodyBase64").asText());
        }
        if (spec.has("generate")) {
            JsonNode generate = spec.get("generate");
            String middle = generate.has("nest") ? nested(generate.get("nest").asInt())
                    : generate.get("repeat").asText().repeat(generate.get("times").asInt());
            return (substitute.apply(generate.path("prefix").asText("")) + middle
                    + substitute.apply(generate.path("suffix").asText(""))).getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    /** A JSON value with its generators expanded, as compact text. */
    static String json(JsonNode value) {
        try {
            return JSON.writeValueAsString(expand(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static JsonNode expand(JsonNode node) throws IOException {
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                array.add(expand(element));
            }
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1 && node.has("$string")) {
            JsonNode s = node.get("$string");
            return TextNode.valueOf(s.path("prefix").asText("") + s.get("repeat").asText().repeat(s.get("times").asInt())
                    + s.path("suffix").asText(""));
        }
        if (node.size() == 1 && node.has("$nest")) {
            return JSON.readTree(nested(node.get("$nest").asInt()));
        }
        if (node.size() == 1 && node.has("$batch")) {
            JsonNode batch = node.get("$batch");
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            String item = JSON.writeValueAsString(batch.get("item"));
            for (int i = 0; i < batch.get("count").asInt(); i++) {
                JsonNode special = batch.path("at").get(Integer.toString(i));
                array.add(special != null ? expand(special) : expand(JSON.readTree(item.replace("$i", Integer.toString(i)))));
            }
            return array;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            object.set(field.getKey(), expand(field.getValue()));
        }
        return object;
    }
}
