package dev.usageevents.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.usageevents.domain.archfixture.FrameworkInTheDomain;
import org.junit.jupiter.api.Test;

/** The hexagon's rules, checked on the compiled classes. Each rule fails if it matches no class. */
class ArchitectureTest {

    /**
     * The project's production classes. The modules come as class directories in a reactor {@code test} run and as
     * jars from {@code package} on ({@code verify}), so jars are imported too; test classes and test-jars are not.
     */
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.usageevents");

    static final ArchRule DOMAIN_IS_PLAIN_JAVA = classes().that().resideInAPackage("dev.usageevents.domain..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.crypto..", "dev.usageevents.domain..")
            .because("the domain is plain Java (the JDK, its crypto included): no framework, no adapter");

    static ArchRule adapterIsolated(String adapter, String... others) {
        return noClasses().that().resideInAPackage("dev.usageevents." + adapter + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("adapters never depend on each other");
    }

    @Test
    void theDomainDependsOnNothingButTheJdk() {
        DOMAIN_IS_PLAIN_JAVA.check(PRODUCTION);
    }

    @Test
    void theDomainRuleCatchesAFrameworkImport() {
        JavaClasses leak = new ClassFileImporter().importClasses(FrameworkInTheDomain.class);
        assertThatThrownBy(() -> DOMAIN_IS_PLAIN_JAVA.check(leak)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("jakarta.inject.Inject");
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        adapterIsolated("rest", "dev.usageevents.persistence..", "dev.usageevents.grpc..", "dev.usageevents.app..")
                .check(PRODUCTION);
        adapterIsolated("persistence", "dev.usageevents.rest..", "dev.usageevents.grpc..", "dev.usageevents.app..")
                .check(PRODUCTION);
        adapterIsolated("grpc", "dev.usageevents.rest..", "dev.usageevents.persistence..", "dev.usageevents.app..")
                .check(PRODUCTION);
    }

    @Test
    void onlyTheAppMeetsTheDomainServicesAndOnlyThroughTheirPorts() {
        noClasses().that().resideInAnyPackage("dev.usageevents.rest..", "dev.usageevents.grpc..")
                .should().dependOnClassesThat().resideInAPackage("dev.usageevents.domain.service..")
                .because("inbound adapters use the in-ports, not the services that implement them")
                .check(PRODUCTION);
    }
}
