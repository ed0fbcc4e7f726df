package dev.perptrader.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An instant given on the command line in UTC: a date ({@code 2026-03-02}, its midnight), a
 * date-time ({@code 2026-03-02T10:00}, seconds optional) or one with {@code Z} or an offset.
 */
final class UtcTime implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        String v = value.strip();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (v.endsWith("Z") || v.endsWith("z") || v.matches(".*T.*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(v.toUpperCase(Locale.ROOT)).toInstant();
            }
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a UTC date (2026-03-02) or date-time"
                    + " (2026-03-02T10:00, 2026-03-02T10:00:00Z)");
        }
    }
}
