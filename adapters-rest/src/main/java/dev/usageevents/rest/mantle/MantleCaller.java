package dev.usageevents.rest.mantle;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.CustomerId;
import java.util.Optional;

/** Who calls: the app's server (the whole account), or one customer of it (through a customer API token). */
record MantleCaller(Account account, Optional<CustomerId> customer) {
}
