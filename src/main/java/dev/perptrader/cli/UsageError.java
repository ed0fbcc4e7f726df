package dev.perptrader.cli;

/** A request the program cannot honour as given; printed as one line, exit code 2. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }
}
