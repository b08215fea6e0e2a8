package dev.usageevents.app;

import dev.usageevents.persistence.GroupCommitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the write path: DOWN while the group committer cannot make progress (a writer gone and not
 * replaced, writers that keep dying, or a write waiting longer than {@code usage.group-commit.stall-after}), so
 * that a load balancer stops sending writes that would only wait. The database's own check is Quarkus's.
 */
@Readiness
@ApplicationScoped
class CommitPathReadiness implements HealthCheck {

    static final String NAME = "Event commit path";

    private final GroupCommitter committer;

    CommitPathReadiness(GroupCommitter committer) {
        this.committer = committer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(committer.progressing()).build();
    }
}
