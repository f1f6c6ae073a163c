package io.memroos.bus;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The domain is plain Java; the edges depend on it, never the other way round. */
@AnalyzeClasses(packages = "io.memroos.bus", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsPlainJava = noClasses().that().resideInAPackage("io.memroos.bus.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws..", "jakarta.enterprise..", "jakarta.inject..",
                    "io.vertx..", "io.quarkus..", "java.sql..", "javax.sql..", "com.fasterxml..", "org.jboss..",
                    "io.memroos.bus.api..", "io.memroos.bus.store..", "io.memroos.bus.config..",
                    "io.memroos.bus.registry..", "io.memroos.bus.push..");

    @ArchTest
    static final ArchRule storeDoesNotKnowTheEdges = noClasses().that().resideInAPackage("io.memroos.bus.store..")
            .should().dependOnClassesThat().resideInAnyPackage("io.memroos.bus.api..", "jakarta.ws..");

    @ArchTest
    static final ArchRule apiDoesNotReachTheStore = noClasses().that().resideInAPackage("io.memroos.bus.api..")
            .should().dependOnClassesThat().resideInAnyPackage("io.memroos.bus.store..", "java.sql..");
}
