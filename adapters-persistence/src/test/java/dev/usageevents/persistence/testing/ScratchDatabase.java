package dev.usageevents.persistence.testing;

import dev.usageevents.persistence.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/** A database of its own on the test JVM's embedded server, migrated by Flyway up to a chosen version. */
public final class ScratchDatabase {

    private final String url;

    private ScratchDatabase(String url) {
        this.url = url;
    }

    /** A new, empty database. */
    public static ScratchDatabase create() throws SQLException {
        EmbeddedDatabase server = PostgresTestResource.embedded();
        String name = "scratch_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        String url = server.jdbcUrl();
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return new ScratchDatabase(url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query)));
    }

    /** Applies the service's migrations up to {@code target} (a version, or "latest"). */
    public void migrate(String target) {
        Flyway.configure().dataSource(url, EmbeddedDatabase.USER, "").locations("classpath:db/migration")
                .target(target).load().migrate();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }
}
