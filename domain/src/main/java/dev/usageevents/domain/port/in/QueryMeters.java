package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.InvalidInputException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How much did a customer use: a live meter's value over a period, in windows of any time zone. Counts only
 * current versions (as of {@code asOf} when given); an event whose current version has the customer id
 * {@code VOID} counts for no one. A query made after an ingest was acknowledged includes it.
 */
public interface QueryMeters {

    /** The customer id that voids an event (Sequence: "resend it with customerAlias VOID"). */
    String VOID_CUSTOMER = "VOID";

    /** At most this many windows × groups in one answer. */
    int MAX_ROWS = 10_000;

    /** At most this many customers named in one query. */
    int MAX_CUSTOMERS = 100;

    /**
     * Empty when the account has no live meter with this id.
     *
     * @throws InvalidInputException naming every bad field (from ≥ to, unknown zone or window size, too many
     *         rows or customers, a bad path)
     */
    Optional<MeterResult> query(AccountId accountId, UUID meterId, MeterQuery query);

    /**
     * A live meter's value for one customer over each period {@code [start, to)}, in the order of {@code starts}
     * (Mantle's rolling values: month to date, 24 hours, 7, 30, 90, 365 days, all time): each equal to the one
     * row of {@link #query} over that period, current versions only. Empty when the account has no live meter
     * with this id.
     *
     * @throws InvalidInputException when a start is not before {@code to}
     */
    Optional<List<BigDecimal>> trailing(AccountId accountId, UUID meterId, CustomerId customer, List<Instant> starts,
            Instant to);
}
