package io.memroos.registry;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The domain is plain Java: no JAX-RS, Vert.x, JDBC, CDI, Quarkus or Jackson. */
class ArchitectureTest {

    @Test
    void domainIsPlainJava() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.memroos.registry");
        ArchRule rule = noClasses().that().resideInAPackage("io.memroos.registry.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.ws.rs..", "jakarta.enterprise..", "jakarta.inject..", "io.vertx..", "java.sql..",
                        "javax.sql..", "io.quarkus..", "io.agroal..", "com.fasterxml..", "org.eclipse.microprofile..",
                        "org.flywaydb..", "io.memroos.registry.api..", "io.memroos.registry.store..",
                        "io.memroos.registry.remote..", "io.memroos.registry.config..");
        rule.check(classes);
    }
}
