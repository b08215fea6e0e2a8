package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Ingest a batch of usage events: all of them or none. */
public interface IngestUsageEvents {

    int MAX_BATCH_SIZE = 1000;

    /**
     * Validates every event at once, then hands the batch to the store, which writes it in one transaction under
     * the command's supersede rule. Never waits for the commit: the stage completes once the batch is committed,
     * with one outcome per event in order, or fails (with
     * {@link dev.usageevents.domain.port.out.StoreUnavailableException} when the store cannot commit), and then
     * nothing of the batch is stored.
     *
     * @throws InvalidInputException naming every bad field with its index; nothing is stored
     */
    CompletionStage<List<IngestOutcome>> ingest(IngestCommand command);
}
