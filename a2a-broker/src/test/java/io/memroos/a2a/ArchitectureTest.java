package io.memroos.a2a;

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
                .importPackages("io.memroos.a2a");
        ArchRule rule = noClasses().that().resideInAPackage("io.memroos.a2a.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.ws.rs..", "jakarta.enterprise..", "jakarta.inject..", "io.vertx..", "java.sql..",
                        "javax.sql..", "io.quarkus..", "io.agroal..", "com.fasterxml..", "org.eclipse.microprofile..",
                        "org.flywaydb..", "io.memroos.a2a.api..", "io.memroos.a2a.store..", "io.memroos.a2a.broker..", "io.memroos.a2a.protocol..", "io.memroos.a2a.registry..",
                        "io.memroos.a2a.config..");
        rule.check(classes);
    }
}
