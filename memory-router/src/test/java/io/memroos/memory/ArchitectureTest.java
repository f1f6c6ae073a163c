package io.memroos.memory;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The domain and the backend interfaces stay plain Java: no HTTP, JDBC, Lucene or a concrete backend. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.memroos.memory");

    @Test
    void theDomainKnowsNoEdgeAndNoBackend() {
        noClasses().that().resideInAPackage("..memory.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "java.sql..", "javax.sql..",
                        "org.apache.lucene..", "io.quarkus..", "io.memroos.memory.api..", "io.memroos.memory.sqlite..",
                        "io.memroos.memory.lucene..", "io.memroos.memory.fleet..", "io.memroos.memory.config..")
                .check(CLASSES);
    }

    @Test
    void theBackendInterfacesKnowNoImplementation() {
        noClasses().that().resideInAPackage("..memory.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.apache.lucene..",
                        "io.memroos.memory.sqlite..", "io.memroos.memory.lucene..", "io.memroos.memory.fleet..",
                        "io.memroos.memory.domain..", "io.memroos.memory.api..")
                .check(CLASSES);
    }
}
