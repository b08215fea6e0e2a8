package dev.usageevents.grpc;

import dev.usageevents.domain.model.FieldError;

/**
 * Where a field named in a domain error sits in a request message: {@code customerId} of the fourth event of a
 * batch is {@code events[3].customer_id}. Only the first segment is renamed; the rest of a path is the client's
 * own property keys ({@code properties.itemCount} stays as sent).
 */
@FunctionalInterface
interface FieldPaths {

    String of(FieldError error);

    /** Errors of the events of {@code repeatedField}, by their index; errors of the whole batch by field. */
    static FieldPaths batch(String repeatedField) {
        return e -> e.index() == null ? protoName(e.field())
                : repeatedField + "[" + e.index() + "]." + protoName(e.field());
    }

    /** Errors of the one event held in {@code messageField} (the domain gives them index 0), and of the request. */
    static FieldPaths single(String messageField) {
        return e -> e.index() == null ? protoName(e.field()) : messageField + "." + protoName(e.field());
    }

    /** Errors of the request's own fields. */
    static FieldPaths request() {
        return e -> protoName(e.field());
    }

    /** Errors of a meter definition held in {@code messageField}; the request's own {@code id} by its name. */
    static FieldPaths meter(String messageField) {
        return e -> e.field().equals("id") ? "id" : messageField + "." + snakeHead(e.field());
    }

    /** Errors of a meter query: its fields in snake case ({@code from} and {@code to} as they are). */
    static FieldPaths meterQuery() {
        return e -> snakeHead(e.field());
    }

    /** A domain field path with its first segment in snake case. */
    private static String snakeHead(String domainPath) {
        int end = 0;
        while (end < domainPath.length() && domainPath.charAt(end) != '.' && domainPath.charAt(end) != '[') {
            end++;
        }
        return snake(domainPath.substring(0, end)) + domainPath.substring(end);
    }

    /** The proto name of a domain field path: its first segment in snake case, the time range by its proto names. */
    static String protoName(String domainPath) {
        int end = 0;
        while (end < domainPath.length() && domainPath.charAt(end) != '.' && domainPath.charAt(end) != '[') {
            end++;
        }
        String head = domainPath.substring(0, end);
        String renamed = switch (head) {
            case "from" -> "start_time";
            case "to" -> "end_time";
            default -> snake(head);
        };
        return renamed + domainPath.substring(end);
    }

    private static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
