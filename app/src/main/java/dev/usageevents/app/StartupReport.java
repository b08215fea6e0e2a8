package dev.usageevents.app;

import dev.usageevents.rest.admin.AdminGuard;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Says at start where the events are kept. */
@Singleton
class StartupReport {

    private static final Logger LOG = Logger.getLogger(StartupReport.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            AdminGuard admin) {
        String embedded = System.getProperty(UsageEventsMain.EMBEDDED_DATA_PROPERTY);
        if (embedded != null) {
            LOG.infof("Embedded PostgreSQL at %s; data directory %s (set QUARKUS_DATASOURCE_JDBC_URL to use "
                    + "another server)", url.replaceAll("\\?.*", ""), embedded);
        } else {
            LOG.infof("PostgreSQL at %s", url.replaceAll("\\?.*", ""));
        }
        if (!admin.enabled()) {
            LOG.warn("USAGE_ADMIN_TOKEN is not set: the admin API (/admin/accounts) refuses every call");
        }
    }
}
