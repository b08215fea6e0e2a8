package dev.usageevents.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.persistence.testing.ScratchDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema stays ready to be distributed by {@code account_id} (Citus; README "Past one PostgreSQL"): every
 * primary key and unique index of a distributed table includes {@code account_id}, and no foreign key leads from
 * one account's rows to another's. Reads the catalog of a database migrated to the latest version, so a table that
 * a later migration adds is checked too.
 */
class SchemaDistributionRuleTest {

    /**
     * Tables that are not distributed: reference tables, copied whole to every node (accounts, looked up by
     * credentials before any account is known; the service's own secrets), and Flyway's history, which stays
     * on the coordinator.
     */
    static final List<String> NOT_DISTRIBUTED = List.of("accounts", "server_secrets", "flyway_schema_history");

    private static final String KEYS_WITHOUT_ACCOUNT = """
            select t.relname || '.' || i.relname
            from pg_index x
            join pg_class i on i.oid = x.indexrelid
            join pg_class t on t.oid = x.indrelid
            join pg_namespace n on n.oid = t.relnamespace
            where n.nspname = current_schema() and (x.indisunique or x.indisprimary)
              and t.relkind in ('r', 'p') and t.relname <> all (?)
              and not exists (select 1 from pg_attribute a
                              where a.attrelid = t.oid and a.attnum = any (x.indkey) and a.attname = 'account_id')
            order by 1""";
    private static final String FOREIGN_KEYS_ACROSS_ACCOUNTS = """
            select c.conname
            from pg_constraint c
            join pg_class t on t.oid = c.conrelid
            join pg_class r on r.oid = c.confrelid
            join pg_namespace n on n.oid = t.relnamespace
            where n.nspname = current_schema() and c.contype = 'f' and r.relname <> all (?)
              and not exists (select 1
                              from unnest(c.conkey, c.confkey) as k(col, ref)
                              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.col
                              join pg_attribute b on b.attrelid = c.confrelid and b.attnum = k.ref
                              where a.attname = 'account_id' and b.attname = 'account_id')
            order by 1""";

    @Test
    void everyKeyOfADistributedTableIncludesTheAccount() throws Exception {
        assertThat(violations(KEYS_WITHOUT_ACCOUNT)).as("unique keys without account_id").isEmpty();
    }

    @Test
    void noForeignKeyCrossesAccounts() throws Exception {
        assertThat(violations(FOREIGN_KEYS_ACROSS_ACCOUNTS))
                .as("foreign keys to a distributed table that do not match account_id to account_id").isEmpty();
    }

    /** The rule can fail: a table keyed without the account is caught. */
    @Test
    void catchesATableKeyedWithoutTheAccount() throws Exception {
        ScratchDatabase database = ScratchDatabase.create();
        database.migrate("latest");
        try (Connection connection = database.connect()) {
            connection.createStatement().execute("create table stray (id uuid primary key, account_id uuid)");
            connection.createStatement().execute(
                    "create table stray_child (account_id uuid, stray_id uuid references stray (id))");
            assertThat(PartitionedEventsMigrationTest.rows(connection, KEYS_WITHOUT_ACCOUNT.replace("?",
                    "array['accounts', 'server_secrets', 'flyway_schema_history']")))
                    .containsExactly(List.of("stray.stray_pkey"));
            assertThat(PartitionedEventsMigrationTest.rows(connection, FOREIGN_KEYS_ACROSS_ACCOUNTS.replace("?",
                    "array['accounts', 'server_secrets', 'flyway_schema_history']")))
                    .containsExactly(List.of("stray_child_stray_id_fkey"));
        }
    }

    private static List<List<String>> violations(String sql) throws Exception {
        ScratchDatabase database = ScratchDatabase.create();
        database.migrate("latest");
        try (Connection connection = database.connect()) {
            String exempt = "array[" + String.join(", ", NOT_DISTRIBUTED.stream().map(t -> "'" + t + "'").toList())
                    + "]";
            return PartitionedEventsMigrationTest.rows(connection, sql.replace("?", exempt));
        }
    }
}
