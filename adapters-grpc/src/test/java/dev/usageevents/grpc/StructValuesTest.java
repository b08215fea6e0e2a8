package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.FieldError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructValuesTest {

    @Test
    void wholeNumbersBecomeIntegersAndOthersStayDoubles() {
        assertThat(StructValues.number(500)).isEqualTo(500L);
        assertThat(StructValues.number(-0.0)).isEqualTo(0L);
        assertThat(StructValues.number(-9.007199254740992E15)).isEqualTo(-9007199254740992L);
        assertThat(StructValues.number(1e20)).isEqualTo(new BigInteger("100000000000000000000"));
        assertThat(StructValues.number(0x1p63)).isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(StructValues.number(2.5)).isEqualTo(2.5);
        assertThat(StructValues.number(Double.NaN)).isEqualTo(Double.NaN);
        assertThat(StructValues.number(Double.NEGATIVE_INFINITY)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aStructBecomesTheJsonObjectTheRestApiShows() {
        Struct struct = Struct.newBuilder()
                .putFields("count", Value.newBuilder().setNumberValue(500).build())
                .putFields("items", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStringValue("a"))
                        .addValues(Value.newBuilder().setBoolValue(false))
                        .addValues(Value.newBuilder().setNullValue(NullValue.NULL_VALUE))
                        .addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("ratio", Value.newBuilder().setNumberValue(0.5).build())))).build())
                .build();
        List<FieldError> errors = new ArrayList<>();

        Map<String, Object> map = StructValues.toMap(struct, "properties", errors);

        assertThat(errors).isEmpty();
        assertThat(EventProperties.of(map).toJson())
                .isEqualTo("{\"count\":500,\"items\":[\"a\",false,null,{\"ratio\":0.5}]}");
    }

    @Test
    void aValueWithNoKindIsReportedByItsPath() {
        Struct struct = Struct.newBuilder().putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
                .addValues(Value.newBuilder().setNumberValue(1)).addValues(Value.getDefaultInstance())).build())
                .build();
        List<FieldError> errors = new ArrayList<>();

        StructValues.toMap(struct, "properties", errors);

        assertThat(errors).extracting(FieldError::field).containsExactly("properties.list[1]");
    }

    @Test
    void storedPropertiesGoBackAsTheSameStruct() {
        Struct struct = Struct.newBuilder()
                .putFields("count", Value.newBuilder().setNumberValue(500).build())
                .putFields("nested", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("flag", Value.newBuilder().setBoolValue(true).build())
                        .putFields("none", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())).build())
                .build();
        EventProperties stored = EventProperties.of(StructValues.toMap(struct, "properties", new ArrayList<>()));

        assertThat(StructValues.toStruct(stored.values())).isEqualTo(struct);
    }
}
