package dev.usageevents.rest.mantle;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a successful ingest. */
@Schema(name = "MantleSuccess")
record MantleSuccess(@Schema(required = true) boolean success) {
}
