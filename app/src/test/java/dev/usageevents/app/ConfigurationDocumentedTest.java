package dev.usageevents.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the index of the service's settings: every mapped property is in it. */
class ConfigurationDocumentedTest {

    @Test
    void everyMappedPropertyIsInTheReadmeConfigurationTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"));
        List<String> variables = new ArrayList<>();
        for (JavaClass mapping : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.usageevents")) {
            if (!mapping.isAnnotatedWith(ConfigMapping.class)) {
                continue;
            }
            String prefix = mapping.getAnnotationOfType(ConfigMapping.class).prefix();
            for (JavaMethod method : mapping.getMethods()) {
                String name = method.isAnnotatedWith(WithName.class)
                        ? method.getAnnotationOfType(WithName.class).value()
                        : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
                variables.add((prefix + "." + name).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
        }

        assertThat(variables).as("the mapped properties").hasSizeGreaterThan(10);
        assertThat(variables).allSatisfy(variable -> assertThat(table).contains("`" + variable + "`"));
    }
}
