package dev.usageevents.app;

import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line that says why the service could not start, found in the failure's causes: a port that cannot be
 * bound, a database that cannot be reached (with its host and port), a data directory that another instance
 * holds, or else the innermost message (a bad setting names itself, e.g. {@code USAGE_TOKEN_SECRET}).
 */
final class StartupFailure {

    static final String PREFIX = "usage-events: cannot start: ";
    private static final int MAX_LENGTH = 1000;
    private static final Pattern JDBC_HOST = Pattern.compile("jdbc:postgresql://([^/?]+)");

    private StartupFailure() {
    }

    /** The line for {@code failure}; {@code httpPort} and {@code jdbcUrl} as configured (the URL may be blank). */
    static String describe(Throwable failure, String httpPort, String jdbcUrl) {
        List<Throwable> chain = causes(failure);
        for (Throwable t : chain) {
            if (t instanceof BindException || t.getClass().getSimpleName().equals("QuarkusBindException")) {
                return PREFIX + "port " + httpPort + " cannot be used (in use by another process, or not allowed): "
                        + "set QUARKUS_HTTP_PORT to a free port";
            }
        }
        for (Throwable t : chain) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return PREFIX + "the database at " + hostAndPort(jdbcUrl) + " cannot be reached ("
                        + message(t) + "): check QUARKUS_DATASOURCE_JDBC_URL";
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        if (String.valueOf(root.getMessage()).contains("epg-lock")) {
            return PREFIX + root.getMessage() + ": another instance uses this data directory; set USAGE_DATA_DIR "
                    + "or stop the other instance";
        }
        return PREFIX + message(root);
    }

    static String hostAndPort(String jdbcUrl) {
        Matcher host = JDBC_HOST.matcher(jdbcUrl == null ? "" : jdbcUrl);
        if (!host.find()) {
            return "localhost:5432";
        }
        String address = host.group(1);
        return address.contains(":") ? address : address + ":5432";
    }

    /** The message on one line: a multi-line one (the configuration's validation lists each setting) joined. */
    private static String message(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String line = String.join(" ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "...";
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
