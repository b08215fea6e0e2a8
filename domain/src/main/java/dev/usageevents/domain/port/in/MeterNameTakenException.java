package dev.usageevents.domain.port.in;

/** A live meter of the account already has this name (Sequence: 409). */
public class MeterNameTakenException extends RuntimeException {

    public MeterNameTakenException(String name) {
        super("a meter named '" + name + "' already exists");
    }
}
