package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {

    @Test
    void keepsItsDataAcrossRestarts() throws Exception {
        Path data = Files.createTempDirectory("embedded-restart");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(first.jdbcUrl());
                Statement s = c.createStatement()) {
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('still here')");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(data);
                Connection c = DriverManager.getConnection(second.jdbcUrl());
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select v from kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
            assertThat(second.dataDirectory()).isEqualTo(data.toAbsolutePath().normalize());
        }
    }

    /** The service acknowledges an event once its commit returns: the commit must then be on disk. */
    @Test
    void commitsAreDurable() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(Files.createTempDirectory("embedded-durable"));
                Connection c = DriverManager.getConnection(database.jdbcUrl());
                Statement s = c.createStatement()) {
            for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
                try (ResultSet row = s.executeQuery("show " + setting)) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).as(setting).isEqualTo("on");
                }
            }
        }
    }
}
