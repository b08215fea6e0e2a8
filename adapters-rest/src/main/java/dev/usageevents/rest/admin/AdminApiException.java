package dev.usageevents.rest.admin;

/** An admin API call refused with a status, a type and a message. */
class AdminApiException extends RuntimeException {

    final int status;
    final String type;

    AdminApiException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }
}
