package dev.usageevents.rest.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The admin API's setting. */
@ConfigMapping(prefix = "usage.admin")
public interface AdminConfig {

    /** The bearer token of the admin API ({@code USAGE_ADMIN_TOKEN}); unset or blank: the admin API is off. */
    Optional<String> token();
}
