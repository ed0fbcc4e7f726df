package dev.perptrader.notify;

/**
 * A sink or the Bot API could not be reached or refused a request. The message is one line built
 * by this package (e.g. "HTTP 401 Unauthorized", "connect timed out"), already scrubbed of the
 * bot token and the webhook URL; it carries no cause, so no raw client exception travels with it.
 */
public final class DeliveryFailed extends Exception {
    public DeliveryFailed(String message) {
        super(message, null, false, false);
    }
}
