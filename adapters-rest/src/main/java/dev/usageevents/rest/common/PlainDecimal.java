package dev.usageevents.rest.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes a meter's exact value as a JSON number in plain notation ({@code 1000}, never {@code 1E+3}), digit for
 * digit as the domain computed it: no double on the way.
 */
public final class PlainDecimal extends StdSerializer<BigDecimal> {

    public PlainDecimal() {
        super(BigDecimal.class);
    }

    @Override
    public void serialize(BigDecimal value, JsonGenerator json, SerializerProvider provider) throws IOException {
        json.writeNumber(value.toPlainString());
    }
}
